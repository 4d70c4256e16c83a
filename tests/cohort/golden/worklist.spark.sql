SELECT
  `t35`.`rank`,
  `t35`.`person_id`,
  `t35`.`probability`,
  `t35`.`category`,
  `t35`.`log_odds`,
  `t35`.`contributions`,
  `t35`.`inflammatory_back_pain`,
  `t35`.`enthesitis_heel`,
  `t35`.`peripheral_arthritis`,
  `t35`.`dactylitis`,
  `t35`.`anterior_uveitis`,
  `t35`.`family_history`,
  `t35`.`psoriasis`,
  `t35`.`ibd`,
  `t35`.`nsaid_response`,
  `t35`.`elevated_crp_or_esr`,
  `t35`.`hla_b27`,
  `t35`.`mri_sacroiliitis`,
  `t35`.`first_back_pain_date`,
  `t35`.`age_at_onset`,
  `t35`.`nsaid_exposures`,
  `t35`.`sij_imaging`
FROM (
  SELECT
    `t34`.`person_id`,
    `t34`.`inflammatory_back_pain`,
    `t34`.`enthesitis_heel`,
    `t34`.`peripheral_arthritis`,
    `t34`.`dactylitis`,
    `t34`.`anterior_uveitis`,
    `t34`.`family_history`,
    `t34`.`psoriasis`,
    `t34`.`ibd`,
    `t34`.`nsaid_response`,
    `t34`.`elevated_crp_or_esr`,
    `t34`.`hla_b27`,
    `t34`.`mri_sacroiliitis`,
    `t34`.`first_back_pain_date`,
    `t34`.`age_at_onset`,
    `t34`.`nsaid_exposures`,
    `t34`.`sij_imaging`,
    `t34`.`log_odds`,
    `t34`.`contributions`,
    `t34`.`probability`,
    CASE
      WHEN `t34`.`probability` < 0.1
      THEN 'unlikely'
      WHEN `t34`.`probability` < 0.8
      THEN 'possible'
      WHEN `t34`.`probability` < 0.9
      THEN 'probable'
      ELSE 'definite'
    END AS `category`,
    (
      ROW_NUMBER() OVER (ORDER BY `t34`.`log_odds` DESC, `t34`.`person_id` ASC NULLS LAST) - 1
    ) + 1 AS `rank`
  FROM (
    SELECT
      `t33`.`person_id`,
      `t33`.`inflammatory_back_pain`,
      `t33`.`enthesitis_heel`,
      `t33`.`peripheral_arthritis`,
      `t33`.`dactylitis`,
      `t33`.`anterior_uveitis`,
      `t33`.`family_history`,
      `t33`.`psoriasis`,
      `t33`.`ibd`,
      `t33`.`nsaid_response`,
      `t33`.`elevated_crp_or_esr`,
      `t33`.`hla_b27`,
      `t33`.`mri_sacroiliitis`,
      `t33`.`first_back_pain_date`,
      `t33`.`age_at_onset`,
      `t33`.`nsaid_exposures`,
      `t33`.`sij_imaging`,
      `t33`.`log_odds`,
      `t33`.`contributions`,
      1.0 / (
        EXP(-(
          `t33`.`log_odds`
        )) + 1.0
      ) AS `probability`
    FROM (
      SELECT
        `t32`.`person_id`,
        `t32`.`inflammatory_back_pain`,
        `t32`.`enthesitis_heel`,
        `t32`.`peripheral_arthritis`,
        `t32`.`dactylitis`,
        `t32`.`anterior_uveitis`,
        `t32`.`family_history`,
        `t32`.`psoriasis`,
        `t32`.`ibd`,
        `t32`.`nsaid_response`,
        `t32`.`elevated_crp_or_esr`,
        `t32`.`hla_b27`,
        `t32`.`mri_sacroiliitis`,
        `t32`.`first_back_pain_date`,
        `t32`.`age_at_onset`,
        `t32`.`nsaid_exposures`,
        `t32`.`sij_imaging`,
        CAST(CAST('-2.9444389791664403' AS DECIMAL(18, 16)) + CASE
          WHEN COALESCE(`t32`.`inflammatory_back_pain`, FALSE)
          THEN CAST('1.1314021114911006' AS DECIMAL(18, 16))
          WHEN COALESCE(NOT (
            `t32`.`inflammatory_back_pain`
          ), FALSE)
          THEN CAST('-1.1086626245216111' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`enthesitis_heel`, FALSE)
          THEN CAST('1.2237754316221157' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`peripheral_arthritis`, FALSE)
          THEN CAST('1.3862943611198906' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`dactylitis`, FALSE)
          THEN CAST('1.5040773967762742' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`anterior_uveitis`, FALSE)
          THEN CAST('1.9878743481543455' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`family_history`, FALSE)
          THEN CAST('1.8562979903656263' AS DECIMAL(18, 16))
          WHEN COALESCE(NOT (
            `t32`.`family_history`
          ), FALSE)
          THEN CAST('-0.3285040669720361' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`psoriasis`, FALSE)
          THEN CAST('0.9162907318741551' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`ibd`, FALSE)
          THEN CAST('1.3862943611198906' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`nsaid_response`, FALSE)
          THEN CAST('1.6292405397302800' AS DECIMAL(18, 16))
          WHEN COALESCE(NOT (
            `t32`.`nsaid_response`
          ), FALSE)
          THEN CAST('-1.3093333199837622' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`elevated_crp_or_esr`, FALSE)
          THEN CAST('0.9162907318741551' AS DECIMAL(18, 16))
          WHEN COALESCE(NOT (
            `t32`.`elevated_crp_or_esr`
          ), FALSE)
          THEN CAST('-0.4620354595965587' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN (
            COALESCE(`t32`.`psoriasis`, FALSE) OR COALESCE(`t32`.`ibd`, FALSE)
          )
          AND COALESCE(`t32`.`hla_b27`, FALSE)
          THEN CAST('1.6094379124341003' AS DECIMAL(18, 16))
          WHEN (
            COALESCE(`t32`.`psoriasis`, FALSE) OR COALESCE(`t32`.`ibd`, FALSE)
          )
          AND COALESCE(NOT (
            `t32`.`hla_b27`
          ), FALSE)
          THEN CAST('-0.5798184952529420' AS DECIMAL(18, 16))
          WHEN COALESCE(`t32`.`hla_b27`, FALSE)
          THEN CAST('2.1972245773362196' AS DECIMAL(18, 16))
          WHEN COALESCE(NOT (
            `t32`.`hla_b27`
          ), FALSE)
          THEN CAST('-2.2072749131897207' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END + CASE
          WHEN COALESCE(`t32`.`mri_sacroiliitis`, FALSE)
          THEN CAST('2.1972245773362196' AS DECIMAL(18, 16))
          WHEN COALESCE(NOT (
            `t32`.`mri_sacroiliitis`
          ), FALSE)
          THEN CAST('-2.2072749131897207' AS DECIMAL(18, 16))
          ELSE CAST('0E-16' AS DECIMAL(18, 16))
        END AS DOUBLE) AS `log_odds`,
        SUBSTRING(
          CONCAT(
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(
                      CONCAT(
                        CONCAT(
                          CONCAT(
                            CONCAT(
                              CONCAT(
                                CONCAT(
                                  '',
                                  CASE
                                    WHEN COALESCE(`t32`.`inflammatory_back_pain`, FALSE)
                                    THEN '; inflammatory_back_pain+ (LR 3.1)'
                                    WHEN COALESCE(NOT (
                                      `t32`.`inflammatory_back_pain`
                                    ), FALSE)
                                    THEN '; inflammatory_back_pain- (LR 0.33)'
                                    ELSE ''
                                  END
                                ),
                                CASE
                                  WHEN COALESCE(`t32`.`enthesitis_heel`, FALSE)
                                  THEN '; enthesitis_heel+ (LR 3.4)'
                                  ELSE ''
                                END
                              ),
                              CASE
                                WHEN COALESCE(`t32`.`peripheral_arthritis`, FALSE)
                                THEN '; peripheral_arthritis+ (LR 4)'
                                ELSE ''
                              END
                            ),
                            CASE
                              WHEN COALESCE(`t32`.`dactylitis`, FALSE)
                              THEN '; dactylitis+ (LR 4.5)'
                              ELSE ''
                            END
                          ),
                          CASE
                            WHEN COALESCE(`t32`.`anterior_uveitis`, FALSE)
                            THEN '; anterior_uveitis+ (LR 7.3)'
                            ELSE ''
                          END
                        ),
                        CASE
                          WHEN COALESCE(`t32`.`family_history`, FALSE)
                          THEN '; family_history+ (LR 6.4)'
                          WHEN COALESCE(NOT (
                            `t32`.`family_history`
                          ), FALSE)
                          THEN '; family_history- (LR 0.72)'
                          ELSE ''
                        END
                      ),
                      CASE
                        WHEN COALESCE(`t32`.`psoriasis`, FALSE)
                        THEN '; psoriasis+ (LR 2.5)'
                        ELSE ''
                      END
                    ),
                    CASE WHEN COALESCE(`t32`.`ibd`, FALSE) THEN '; ibd+ (LR 4)' ELSE '' END
                  ),
                  CASE
                    WHEN COALESCE(`t32`.`nsaid_response`, FALSE)
                    THEN '; nsaid_response+ (LR 5.1)'
                    WHEN COALESCE(NOT (
                      `t32`.`nsaid_response`
                    ), FALSE)
                    THEN '; nsaid_response- (LR 0.27)'
                    ELSE ''
                  END
                ),
                CASE
                  WHEN COALESCE(`t32`.`elevated_crp_or_esr`, FALSE)
                  THEN '; elevated_crp_or_esr+ (LR 2.5)'
                  WHEN COALESCE(NOT (
                    `t32`.`elevated_crp_or_esr`
                  ), FALSE)
                  THEN '; elevated_crp_or_esr- (LR 0.63)'
                  ELSE ''
                END
              ),
              CASE
                WHEN (
                  COALESCE(`t32`.`psoriasis`, FALSE) OR COALESCE(`t32`.`ibd`, FALSE)
                )
                AND COALESCE(`t32`.`hla_b27`, FALSE)
                THEN '; hla_b27+ (LR 5)'
                WHEN (
                  COALESCE(`t32`.`psoriasis`, FALSE) OR COALESCE(`t32`.`ibd`, FALSE)
                )
                AND COALESCE(NOT (
                  `t32`.`hla_b27`
                ), FALSE)
                THEN '; hla_b27- (LR 0.56)'
                WHEN COALESCE(`t32`.`hla_b27`, FALSE)
                THEN '; hla_b27+ (LR 9)'
                WHEN COALESCE(NOT (
                  `t32`.`hla_b27`
                ), FALSE)
                THEN '; hla_b27- (LR 0.11)'
                ELSE ''
              END
            ),
            CASE
              WHEN COALESCE(`t32`.`mri_sacroiliitis`, FALSE)
              THEN '; mri_sacroiliitis+ (LR 9)'
              WHEN COALESCE(NOT (
                `t32`.`mri_sacroiliitis`
              ), FALSE)
              THEN '; mri_sacroiliitis- (LR 0.11)'
              ELSE ''
            END
          ),
          IF(
            (
              2 + 1
            ) >= 1,
            2 + 1,
            2 + 1 + LENGTH(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(
                      CONCAT(
                        CONCAT(
                          CONCAT(
                            CONCAT(
                              CONCAT(
                                CONCAT(
                                  CONCAT(
                                    CONCAT(
                                      '',
                                      CASE
                                        WHEN COALESCE(`t32`.`inflammatory_back_pain`, FALSE)
                                        THEN '; inflammatory_back_pain+ (LR 3.1)'
                                        WHEN COALESCE(NOT (
                                          `t32`.`inflammatory_back_pain`
                                        ), FALSE)
                                        THEN '; inflammatory_back_pain- (LR 0.33)'
                                        ELSE ''
                                      END
                                    ),
                                    CASE
                                      WHEN COALESCE(`t32`.`enthesitis_heel`, FALSE)
                                      THEN '; enthesitis_heel+ (LR 3.4)'
                                      ELSE ''
                                    END
                                  ),
                                  CASE
                                    WHEN COALESCE(`t32`.`peripheral_arthritis`, FALSE)
                                    THEN '; peripheral_arthritis+ (LR 4)'
                                    ELSE ''
                                  END
                                ),
                                CASE
                                  WHEN COALESCE(`t32`.`dactylitis`, FALSE)
                                  THEN '; dactylitis+ (LR 4.5)'
                                  ELSE ''
                                END
                              ),
                              CASE
                                WHEN COALESCE(`t32`.`anterior_uveitis`, FALSE)
                                THEN '; anterior_uveitis+ (LR 7.3)'
                                ELSE ''
                              END
                            ),
                            CASE
                              WHEN COALESCE(`t32`.`family_history`, FALSE)
                              THEN '; family_history+ (LR 6.4)'
                              WHEN COALESCE(NOT (
                                `t32`.`family_history`
                              ), FALSE)
                              THEN '; family_history- (LR 0.72)'
                              ELSE ''
                            END
                          ),
                          CASE
                            WHEN COALESCE(`t32`.`psoriasis`, FALSE)
                            THEN '; psoriasis+ (LR 2.5)'
                            ELSE ''
                          END
                        ),
                        CASE WHEN COALESCE(`t32`.`ibd`, FALSE) THEN '; ibd+ (LR 4)' ELSE '' END
                      ),
                      CASE
                        WHEN COALESCE(`t32`.`nsaid_response`, FALSE)
                        THEN '; nsaid_response+ (LR 5.1)'
                        WHEN COALESCE(NOT (
                          `t32`.`nsaid_response`
                        ), FALSE)
                        THEN '; nsaid_response- (LR 0.27)'
                        ELSE ''
                      END
                    ),
                    CASE
                      WHEN COALESCE(`t32`.`elevated_crp_or_esr`, FALSE)
                      THEN '; elevated_crp_or_esr+ (LR 2.5)'
                      WHEN COALESCE(NOT (
                        `t32`.`elevated_crp_or_esr`
                      ), FALSE)
                      THEN '; elevated_crp_or_esr- (LR 0.63)'
                      ELSE ''
                    END
                  ),
                  CASE
                    WHEN (
                      COALESCE(`t32`.`psoriasis`, FALSE) OR COALESCE(`t32`.`ibd`, FALSE)
                    )
                    AND COALESCE(`t32`.`hla_b27`, FALSE)
                    THEN '; hla_b27+ (LR 5)'
                    WHEN (
                      COALESCE(`t32`.`psoriasis`, FALSE) OR COALESCE(`t32`.`ibd`, FALSE)
                    )
                    AND COALESCE(NOT (
                      `t32`.`hla_b27`
                    ), FALSE)
                    THEN '; hla_b27- (LR 0.56)'
                    WHEN COALESCE(`t32`.`hla_b27`, FALSE)
                    THEN '; hla_b27+ (LR 9)'
                    WHEN COALESCE(NOT (
                      `t32`.`hla_b27`
                    ), FALSE)
                    THEN '; hla_b27- (LR 0.11)'
                    ELSE ''
                  END
                ),
                CASE
                  WHEN COALESCE(`t32`.`mri_sacroiliitis`, FALSE)
                  THEN '; mri_sacroiliitis+ (LR 9)'
                  WHEN COALESCE(NOT (
                    `t32`.`mri_sacroiliitis`
                  ), FALSE)
                  THEN '; mri_sacroiliitis- (LR 0.11)'
                  ELSE ''
                END
              )
            )
          )
        ) AS `contributions`
      FROM (
        SELECT
          `t31`.`person_id`,
          CAST(NULL AS BOOLEAN) AS `inflammatory_back_pain`,
          `t31`.`enthesitis_heel`,
          CAST(NULL AS BOOLEAN) AS `peripheral_arthritis`,
          `t31`.`dactylitis`,
          `t31`.`anterior_uveitis`,
          CASE
            WHEN COALESCE(`t22`.`fh_positive`, FALSE)
            THEN TRUE
            WHEN COALESCE(`t22`.`fh_negative`, FALSE)
            THEN FALSE
            ELSE CAST(NULL AS BOOLEAN)
          END AS `family_history`,
          `t31`.`psoriasis`,
          `t31`.`ibd`,
          CASE
            WHEN COALESCE(COALESCE(`t19`.`n_nsaid`, 0) >= 2, FALSE)
            THEN TRUE
            ELSE CAST(NULL AS BOOLEAN)
          END AS `nsaid_response`,
          CASE
            WHEN COALESCE(`t27`.`apr_raised`, FALSE)
            THEN TRUE
            WHEN COALESCE(`t27`.`apr_judged`, FALSE)
            THEN FALSE
            ELSE CAST(NULL AS BOOLEAN)
          END AS `elevated_crp_or_esr`,
          CASE
            WHEN COALESCE(`t27`.`hla_positive`, FALSE)
            THEN TRUE
            WHEN COALESCE(`t27`.`hla_negative`, FALSE)
            THEN FALSE
            ELSE CAST(NULL AS BOOLEAN)
          END AS `hla_b27`,
          CASE
            WHEN COALESCE(`t27`.`mri_positive`, FALSE)
            THEN TRUE
            WHEN COALESCE(`t27`.`mri_negative`, FALSE)
            THEN FALSE
            ELSE CAST(NULL AS BOOLEAN)
          END AS `mri_sacroiliitis`,
          `t31`.`first_back_pain_date`,
          `t31`.`age_at_onset`,
          COALESCE(`t19`.`n_nsaid`, 0) AS `nsaid_exposures`,
          CASE
            WHEN COALESCE(COALESCE(`t18`.`n_sij`, 0) > 0, FALSE)
            THEN TRUE
            ELSE CAST(NULL AS BOOLEAN)
          END AS `sij_imaging`
        FROM (
          SELECT
            `t29`.`person_id`,
            `t29`.`first_back_pain_date`,
            `t29`.`age_at_onset`,
            `t29`.`anterior_uveitis`,
            `t29`.`psoriasis`,
            `t29`.`ibd`,
            `t29`.`enthesitis_heel`,
            `t29`.`dactylitis`
          FROM (
            SELECT
              *
            FROM (
              SELECT
                `t24`.`person_id`,
                COALESCE(`t24`.`diagnosed`, FALSE) AS `diagnosed`,
                `t24`.`first_back_pain_date`,
                CAST(EXTRACT(YEAR FROM `t24`.`first_back_pain_date`) - `t11`.`year_of_birth` AS INT) AS `age_at_onset`,
                CASE
                  WHEN COALESCE(`t24`.`anterior_uveitis`, FALSE)
                  THEN TRUE
                  ELSE CAST(NULL AS BOOLEAN)
                END AS `anterior_uveitis`,
                CASE
                  WHEN COALESCE(`t24`.`psoriasis`, FALSE)
                  THEN TRUE
                  ELSE CAST(NULL AS BOOLEAN)
                END AS `psoriasis`,
                CASE WHEN COALESCE(`t24`.`ibd`, FALSE) THEN TRUE ELSE CAST(NULL AS BOOLEAN) END AS `ibd`,
                CASE
                  WHEN COALESCE(`t24`.`enthesitis_heel`, FALSE)
                  THEN TRUE
                  ELSE CAST(NULL AS BOOLEAN)
                END AS `enthesitis_heel`,
                CASE
                  WHEN COALESCE(`t24`.`dactylitis`, FALSE)
                  THEN TRUE
                  ELSE CAST(NULL AS BOOLEAN)
                END AS `dactylitis`
              FROM (
                SELECT
                  `t16`.`person_id`,
                  `t16`.`first_back_pain_date`,
                  `t16`.`last_back_pain_date`,
                  `t16`.`coded_chronic`,
                  `t16`.`diagnosed`,
                  `t16`.`anterior_uveitis`,
                  `t16`.`psoriasis`,
                  `t16`.`ibd`,
                  `t16`.`enthesitis_heel`,
                  `t16`.`dactylitis`,
                  COALESCE(`t16`.`coded_chronic`, FALSE)
                  OR (
                    `t16`.`last_back_pain_date` >= (
                      `t16`.`first_back_pain_date` + INTERVAL '90' DAY
                    )
                  ) AS `chronic`
                FROM (
                  SELECT
                    `t12`.`person_id`,
                    MIN(
                      IF(
                        `t12`.`condition_concept_id` IN (134736, 194133, 4132891, 4145006),
                        `t12`.`condition_start_date`,
                        NULL
                      )
                    ) AS `first_back_pain_date`,
                    MAX(
                      IF(
                        `t12`.`condition_concept_id` IN (134736, 194133, 4132891, 4145006),
                        `t12`.`condition_start_date`,
                        NULL
                      )
                    ) AS `last_back_pain_date`,
                    BOOL_OR(`t12`.`condition_concept_id` IN (4132891)) AS `coded_chronic`,
                    BOOL_OR(
                      `t12`.`condition_concept_id` IN (73562, 437082, 37017494, 37108617, 37108618, 37203959, 37205058, 46273406)
                    ) AS `diagnosed`,
                    BOOL_OR(
                      `t12`.`condition_concept_id` IN (434926, 4028363, 4132792, 4146105, 4176864, 4274964)
                    ) AS `anterior_uveitis`,
                    BOOL_OR(`t12`.`condition_concept_id` IN (140168)) AS `psoriasis`,
                    BOOL_OR(`t12`.`condition_concept_id` IN (81893, 201606, 4074815)) AS `ibd`,
                    BOOL_OR(`t12`.`condition_concept_id` IN (2000100030, 2000100031, 2000100032)) AS `enthesitis_heel`,
                    BOOL_OR(`t12`.`condition_concept_id` IN (2000100040)) AS `dactylitis`
                  FROM (
                    SELECT
                      *
                    FROM `condition_occurrence` AS `t5`
                    WHERE
                      `t5`.`condition_concept_id` IN (
                        73562,
                        81893,
                        134736,
                        140168,
                        194133,
                        201606,
                        434926,
                        437082,
                        4028363,
                        4074815,
                        4132792,
                        4132891,
                        4145006,
                        4146105,
                        4176864,
                        4274964,
                        37017494,
                        37108617,
                        37108618,
                        37203959,
                        37205058,
                        46273406,
                        2000100030,
                        2000100031,
                        2000100032,
                        2000100040
                      )
                  ) AS `t12`
                  GROUP BY
                    1
                ) AS `t16`
                WHERE
                  NOT `t16`.`first_back_pain_date` IS NULL
                  AND (
                    COALESCE(`t16`.`coded_chronic`, FALSE)
                    OR (
                      `t16`.`last_back_pain_date` >= (
                        `t16`.`first_back_pain_date` + INTERVAL '90' DAY
                      )
                    )
                  )
              ) AS `t24`
              INNER JOIN (
                SELECT
                  *
                FROM `person` AS `t4`
              ) AS `t11`
                ON `t24`.`person_id` = `t11`.`person_id`
            ) AS `t28`
            WHERE
              NOT (
                `t28`.`diagnosed`
              )
          ) AS `t29`
        ) AS `t31`
        LEFT OUTER JOIN (
          SELECT
            `t25`.`person_id` AS `m_person_id`,
            `t25`.`apr_raised`,
            `t25`.`apr_judged`,
            `t25`.`hla_positive`,
            `t25`.`hla_negative`,
            `t25`.`mri_positive`,
            `t25`.`mri_negative`
          FROM (
            SELECT
              `t7`.`person_id`,
              BOOL_OR(
                (
                  `t7`.`measurement_concept_id` IN (3010156, 3020460)
                  AND COALESCE(
                    IF(
                      NOT `t7`.`range_high` IS NULL AND NOT ISNAN(`t7`.`range_high`),
                      `t7`.`value_as_number` > `t7`.`range_high`,
                      (
                        `t7`.`value_as_number` * CASE
                          WHEN `t7`.`unit_concept_id` = 8751
                          THEN 1.0
                          WHEN `t7`.`unit_concept_id` = 8840
                          THEN 10.0
                          ELSE CAST(NULL AS DOUBLE)
                        END
                      ) > 5.0
                    ),
                    FALSE
                  )
                )
                OR (
                  `t7`.`measurement_concept_id` IN (3013707, 3015183)
                  AND COALESCE(
                    IF(
                      NOT `t7`.`range_high` IS NULL AND NOT ISNAN(`t7`.`range_high`),
                      `t7`.`value_as_number` > `t7`.`range_high`,
                      (
                        `t7`.`value_as_number` * CASE
                          WHEN `t7`.`unit_concept_id` = 0
                          THEN 1.0
                          WHEN `t7`.`unit_concept_id` = 8752
                          THEN 1.0
                          ELSE CAST(NULL AS DOUBLE)
                        END
                      ) > 20.0
                    ),
                    FALSE
                  )
                )
              ) AS `apr_raised`,
              BOOL_OR(
                (
                  `t7`.`measurement_concept_id` IN (3010156, 3020460)
                  AND (
                    NOT `t7`.`value_as_number` IS NULL
                    AND NOT ISNAN(`t7`.`value_as_number`)
                    AND (
                      (
                        NOT `t7`.`range_high` IS NULL AND NOT ISNAN(`t7`.`range_high`)
                      )
                      OR (
                        NOT CASE
                          WHEN `t7`.`unit_concept_id` = 8751
                          THEN 1.0
                          WHEN `t7`.`unit_concept_id` = 8840
                          THEN 10.0
                          ELSE CAST(NULL AS DOUBLE)
                        END IS NULL
                        AND NOT ISNAN(
                          CASE
                            WHEN `t7`.`unit_concept_id` = 8751
                            THEN 1.0
                            WHEN `t7`.`unit_concept_id` = 8840
                            THEN 10.0
                            ELSE CAST(NULL AS DOUBLE)
                          END
                        )
                      )
                    )
                  )
                )
                OR (
                  `t7`.`measurement_concept_id` IN (3013707, 3015183)
                  AND (
                    NOT `t7`.`value_as_number` IS NULL
                    AND NOT ISNAN(`t7`.`value_as_number`)
                    AND (
                      (
                        NOT `t7`.`range_high` IS NULL AND NOT ISNAN(`t7`.`range_high`)
                      )
                      OR (
                        NOT CASE
                          WHEN `t7`.`unit_concept_id` = 0
                          THEN 1.0
                          WHEN `t7`.`unit_concept_id` = 8752
                          THEN 1.0
                          ELSE CAST(NULL AS DOUBLE)
                        END IS NULL
                        AND NOT ISNAN(
                          CASE
                            WHEN `t7`.`unit_concept_id` = 0
                            THEN 1.0
                            WHEN `t7`.`unit_concept_id` = 8752
                            THEN 1.0
                            ELSE CAST(NULL AS DOUBLE)
                          END
                        )
                      )
                    )
                  )
                )
              ) AS `apr_judged`,
              BOOL_OR(
                `t7`.`measurement_concept_id` IN (649102, 3033347, 3036779)
                AND (
                  COALESCE(
                    `t7`.`value_as_concept_id` IN (9191, 4126681, 4181412, 45877985, 45879438, 45884084),
                    FALSE
                  )
                  OR COALESCE(`t7`.`value_as_number` > 0, FALSE)
                )
              ) AS `hla_positive`,
              BOOL_OR(
                `t7`.`measurement_concept_id` IN (649102, 3033347, 3036779)
                AND (
                  COALESCE(`t7`.`value_as_concept_id` IN (9189, 45878583), FALSE)
                  OR COALESCE(`t7`.`value_as_number` = 0, FALSE)
                )
              ) AS `hla_negative`,
              BOOL_OR(
                `t7`.`measurement_concept_id` IN (2000100010, 2000100011)
                AND (
                  COALESCE(
                    `t7`.`value_as_concept_id` IN (9191, 4126681, 4181412, 45877985, 45879438, 45884084),
                    FALSE
                  )
                  OR COALESCE(`t7`.`value_as_number` > 0, FALSE)
                )
              ) AS `mri_positive`,
              BOOL_OR(
                `t7`.`measurement_concept_id` IN (2000100010, 2000100011)
                AND (
                  COALESCE(`t7`.`value_as_concept_id` IN (9189, 45878583), FALSE)
                  OR COALESCE(`t7`.`value_as_number` = 0, FALSE)
                )
              ) AS `mri_negative`
            FROM (
              SELECT
                *
              FROM `measurement` AS `t0`
              WHERE
                `t0`.`measurement_concept_id` IN (
                  649102,
                  3010156,
                  3013707,
                  3015183,
                  3020460,
                  3033347,
                  3036779,
                  2000100010,
                  2000100011
                )
            ) AS `t7`
            GROUP BY
              1
          ) AS `t25`
        ) AS `t27`
          ON `t31`.`person_id` = `t27`.`m_person_id`
        LEFT OUTER JOIN (
          SELECT
            `t14`.`person_id` AS `d_person_id`,
            `t14`.`n_nsaid`
          FROM (
            SELECT
              `t8`.`person_id`,
              COUNT(DISTINCT `t8`.`drug_exposure_start_date`) AS `n_nsaid`
            FROM (
              SELECT
                *
              FROM `drug_exposure` AS `t1`
              WHERE
                `t1`.`drug_concept_id` IN (1115008, 1118084, 1124300, 1177480)
            ) AS `t8`
            GROUP BY
              1
          ) AS `t14`
        ) AS `t19`
          ON `t31`.`person_id` = `t19`.`d_person_id`
        LEFT OUTER JOIN (
          SELECT
            `t20`.`person_id` AS `o_person_id`,
            `t20`.`fh_positive`,
            `t20`.`fh_negative`
          FROM (
            SELECT
              `t9`.`person_id`,
              BOOL_OR(NOT (
                COALESCE(`t9`.`value_as_concept_id` IN (9189, 45878583), FALSE)
              )) AS `fh_positive`,
              BOOL_OR(COALESCE(`t9`.`value_as_concept_id` IN (9189, 45878583), FALSE)) AS `fh_negative`
            FROM (
              SELECT
                *
              FROM `observation` AS `t2`
              WHERE
                `t2`.`observation_concept_id` IN (2000100020, 2000100021, 2000100022, 2000100023)
            ) AS `t9`
            GROUP BY
              1
          ) AS `t20`
        ) AS `t22`
          ON `t31`.`person_id` = `t22`.`o_person_id`
        LEFT OUTER JOIN (
          SELECT
            `t13`.`person_id` AS `p_person_id`,
            `t13`.`n_sij`
          FROM (
            SELECT
              `t10`.`person_id`,
              COUNT(*) AS `n_sij`
            FROM (
              SELECT
                *
              FROM `procedure_occurrence` AS `t3`
              WHERE
                `t3`.`procedure_concept_id` IN (2000100010, 2000100011)
            ) AS `t10`
            GROUP BY
              1
          ) AS `t13`
        ) AS `t18`
          ON `t31`.`person_id` = `t18`.`p_person_id`
      ) AS `t32`
    ) AS `t33`
  ) AS `t34`
) AS `t35`
ORDER BY
  `t35`.`rank` ASC NULLS LAST
