WITH "t20" AS (
  SELECT
    "t19"."person_id",
    "t19"."first_back_pain_date",
    CAST(EXTRACT(YEAR FROM "t19"."first_back_pain_date") - "t9"."year_of_birth" AS INT) AS "age_at_onset",
    "t19"."coded_chronic"
    OR (
      "t19"."last_back_pain_date" >= (
        "t19"."first_back_pain_date" + INTERVAL '90 DAY'
      )
    ) AS "chronic",
    "t19"."diagnosed",
    "t19"."anterior_uveitis",
    "t19"."psoriasis",
    "t19"."ibd",
    "t19"."enthesitis_heel",
    "t19"."dactylitis"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t16"."person_id",
        MIN("t16"."date") FILTER(WHERE
          (
            "t16"."code" & 1
          ) <> 0) AS "first_back_pain_date",
        MAX("t16"."date") FILTER(WHERE
          (
            "t16"."code" & 1
          ) <> 0) AS "last_back_pain_date",
        BOOL_OR((
          "t16"."code" & 2
        ) <> 0) AS "coded_chronic",
        BOOL_OR((
          "t16"."code" & 4
        ) <> 0) AS "diagnosed",
        BOOL_OR((
          "t16"."code" & 8
        ) <> 0) AS "anterior_uveitis",
        BOOL_OR((
          "t16"."code" & 16
        ) <> 0) AS "psoriasis",
        BOOL_OR((
          "t16"."code" & 32
        ) <> 0) AS "ibd",
        BOOL_OR((
          "t16"."code" & 64
        ) <> 0) AS "enthesitis_heel",
        BOOL_OR((
          "t16"."code" & 128
        ) <> 0) AS "dactylitis"
      FROM (
        SELECT
          "t5"."person_id",
          "t5"."condition_start_date" AS "date",
          CASE
            WHEN "t5"."condition_concept_id" IN (73562, 437082, 37017494, 37108617, 37108618, 37203959, 37205058, 46273406)
            THEN 4
            WHEN "t5"."condition_concept_id" IN (81893, 201606, 4074815)
            THEN 32
            WHEN "t5"."condition_concept_id" IN (134736, 194133, 4145006)
            THEN 1
            WHEN "t5"."condition_concept_id" IN (140168)
            THEN 16
            WHEN "t5"."condition_concept_id" IN (434926, 4028363, 4132792, 4146105, 4176864, 4274964)
            THEN 8
            WHEN "t5"."condition_concept_id" IN (4132891)
            THEN 3
            ELSE 0
          END AS "code"
        FROM "condition_occurrence" AS "t5"
        WHERE
          "t5"."condition_concept_id" IN (
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
            46273406
          )
      ) AS "t16"
      GROUP BY
        1
    ) AS "t17"
    WHERE
      "t17"."first_back_pain_date" IS NOT NULL
  ) AS "t19"
  INNER JOIN (
    SELECT
      *
    FROM "person" AS "t0"
  ) AS "t9"
    ON "t19"."person_id" = "t9"."person_id"
), "t42" AS (
  SELECT
    "t24"."person_id",
    CAST(NULL AS BOOLEAN) AS "inflammatory_back_pain",
    CASE
      WHEN COALESCE("t24"."enthesitis_heel", FALSE)
      THEN TRUE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "enthesitis_heel",
    CAST(NULL AS BOOLEAN) AS "peripheral_arthritis",
    CASE
      WHEN COALESCE("t24"."dactylitis", FALSE)
      THEN TRUE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "dactylitis",
    CASE
      WHEN COALESCE("t24"."anterior_uveitis", FALSE)
      THEN TRUE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "anterior_uveitis",
    CASE
      WHEN COALESCE("t38"."fh_positive", FALSE)
      THEN TRUE
      WHEN COALESCE("t38"."fh_negative", FALSE)
      THEN FALSE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "family_history",
    CASE
      WHEN COALESCE("t24"."psoriasis", FALSE)
      THEN TRUE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "psoriasis",
    CASE WHEN COALESCE("t24"."ibd", FALSE) THEN TRUE ELSE CAST(NULL AS BOOLEAN) END AS "ibd",
    CASE
      WHEN COALESCE(COALESCE("t35"."n_nsaid", 0) >= 2, FALSE)
      THEN TRUE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "nsaid_response",
    CASE
      WHEN COALESCE("t41"."apr_raised", FALSE)
      THEN TRUE
      WHEN COALESCE("t41"."apr_judged", FALSE)
      THEN FALSE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "elevated_crp_or_esr",
    CASE
      WHEN COALESCE("t41"."hla_positive", FALSE)
      THEN TRUE
      WHEN COALESCE("t41"."hla_negative", FALSE)
      THEN FALSE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "hla_b27",
    CASE
      WHEN COALESCE("t41"."mri_positive", FALSE)
      THEN TRUE
      WHEN COALESCE("t41"."mri_negative", FALSE)
      THEN FALSE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "mri_sacroiliitis",
    "t24"."first_back_pain_date",
    "t24"."age_at_onset",
    COALESCE("t35"."n_nsaid", 0) AS "nsaid_exposures",
    CASE
      WHEN COALESCE(COALESCE("t34"."n_sij", 0) > 0, FALSE)
      THEN TRUE
      ELSE CAST(NULL AS BOOLEAN)
    END AS "sij_imaging"
  FROM (
    SELECT
      *
    FROM "t20" AS "t21"
    WHERE
      "t21"."chronic" AND NOT (
        "t21"."diagnosed"
      )
  ) AS "t24"
  LEFT OUTER JOIN (
    SELECT
      "t39"."person_id" AS "m_person_id",
      "t39"."apr_raised",
      "t39"."apr_judged",
      "t39"."hla_positive",
      "t39"."hla_negative",
      "t39"."mri_positive",
      "t39"."mri_negative"
    FROM (
      SELECT
        "t26"."person_id",
        BOOL_OR(
          (
            "t26"."measurement_concept_id" IN (3010156, 3020460)
            AND COALESCE(
              CASE
                WHEN "t26"."range_high" IS NOT NULL
                THEN "t26"."value_as_number" > "t26"."range_high"
                ELSE (
                  "t26"."value_as_number" * CASE
                    WHEN "t26"."unit_concept_id" = 8751
                    THEN 1.0
                    WHEN "t26"."unit_concept_id" = 8840
                    THEN 10.0
                    ELSE CAST(NULL AS DOUBLE PRECISION)
                  END
                ) > 5.0
              END,
              FALSE
            )
          )
          OR (
            "t26"."measurement_concept_id" IN (3013707, 3015183)
            AND COALESCE(
              CASE
                WHEN "t26"."range_high" IS NOT NULL
                THEN "t26"."value_as_number" > "t26"."range_high"
                ELSE (
                  "t26"."value_as_number" * CASE
                    WHEN "t26"."unit_concept_id" = 0
                    THEN 1.0
                    WHEN "t26"."unit_concept_id" = 8752
                    THEN 1.0
                    ELSE CAST(NULL AS DOUBLE PRECISION)
                  END
                ) > 20.0
              END,
              FALSE
            )
          )
        ) AS "apr_raised",
        BOOL_OR(
          (
            "t26"."measurement_concept_id" IN (3010156, 3020460)
            AND (
              (
                "t26"."value_as_number" IS NOT NULL
              )
              AND (
                (
                  "t26"."range_high" IS NOT NULL
                )
                OR (
                  CASE
                    WHEN "t26"."unit_concept_id" = 8751
                    THEN 1.0
                    WHEN "t26"."unit_concept_id" = 8840
                    THEN 10.0
                    ELSE CAST(NULL AS DOUBLE PRECISION)
                  END IS NOT NULL
                )
              )
            )
          )
          OR (
            "t26"."measurement_concept_id" IN (3013707, 3015183)
            AND (
              (
                "t26"."value_as_number" IS NOT NULL
              )
              AND (
                (
                  "t26"."range_high" IS NOT NULL
                )
                OR (
                  CASE
                    WHEN "t26"."unit_concept_id" = 0
                    THEN 1.0
                    WHEN "t26"."unit_concept_id" = 8752
                    THEN 1.0
                    ELSE CAST(NULL AS DOUBLE PRECISION)
                  END IS NOT NULL
                )
              )
            )
          )
        ) AS "apr_judged",
        BOOL_OR(
          "t26"."measurement_concept_id" IN (649102, 3033347, 3036779)
          AND (
            COALESCE(
              "t26"."value_as_concept_id" IN (9191, 4126681, 4181412, 45877985, 45879438, 45884084),
              FALSE
            )
            OR COALESCE("t26"."value_as_number" > 0, FALSE)
          )
        ) AS "hla_positive",
        BOOL_OR(
          "t26"."measurement_concept_id" IN (649102, 3033347, 3036779)
          AND (
            COALESCE("t26"."value_as_concept_id" IN (9189, 45878583), FALSE)
            OR COALESCE("t26"."value_as_number" = 0, FALSE)
          )
        ) AS "hla_negative",
        BOOL_OR(
          FALSE
          AND (
            COALESCE(
              "t26"."value_as_concept_id" IN (9191, 4126681, 4181412, 45877985, 45879438, 45884084),
              FALSE
            )
            OR COALESCE("t26"."value_as_number" > 0, FALSE)
          )
        ) AS "mri_positive",
        BOOL_OR(
          FALSE
          AND (
            COALESCE("t26"."value_as_concept_id" IN (9189, 45878583), FALSE)
            OR COALESCE("t26"."value_as_number" = 0, FALSE)
          )
        ) AS "mri_negative"
      FROM (
        SELECT
          "t14"."person_id",
          "t14"."measurement_concept_id",
          "t14"."value_as_number",
          "t14"."value_as_concept_id",
          "t14"."unit_concept_id",
          "t14"."range_high"
        FROM (
          SELECT
            *
          FROM "measurement" AS "t1"
          WHERE
            "t1"."measurement_concept_id" IN (649102, 3010156, 3013707, 3015183, 3020460, 3033347, 3036779)
        ) AS "t14"
        WHERE
          EXISTS(
            SELECT
              1
            FROM (
              SELECT
                "t21"."person_id"
              FROM "t20" AS "t21"
              WHERE
                "t21"."chronic" AND NOT (
                  "t21"."diagnosed"
                )
            ) AS "t25"
            WHERE
              "t14"."person_id" = "t25"."person_id"
          )
      ) AS "t26"
      GROUP BY
        1
    ) AS "t39"
  ) AS "t41"
    ON "t24"."person_id" = "t41"."m_person_id"
  LEFT OUTER JOIN (
    SELECT
      "t31"."person_id" AS "d_person_id",
      "t31"."n_nsaid"
    FROM (
      SELECT
        "t27"."person_id",
        COUNT(DISTINCT "t27"."drug_exposure_start_date") AS "n_nsaid"
      FROM (
        SELECT
          "t15"."person_id",
          "t15"."drug_concept_id",
          "t15"."drug_exposure_start_date"
        FROM (
          SELECT
            *
          FROM "drug_exposure" AS "t2"
          WHERE
            "t2"."drug_concept_id" IN (1115008, 1118084, 1124300, 1177480)
        ) AS "t15"
        WHERE
          EXISTS(
            SELECT
              1
            FROM (
              SELECT
                "t21"."person_id"
              FROM "t20" AS "t21"
              WHERE
                "t21"."chronic" AND NOT (
                  "t21"."diagnosed"
                )
            ) AS "t25"
            WHERE
              "t15"."person_id" = "t25"."person_id"
          )
      ) AS "t27"
      GROUP BY
        1
    ) AS "t31"
  ) AS "t35"
    ON "t24"."person_id" = "t35"."d_person_id"
  LEFT OUTER JOIN (
    SELECT
      "t36"."person_id" AS "o_person_id",
      "t36"."fh_positive",
      "t36"."fh_negative"
    FROM (
      SELECT
        "t28"."person_id",
        BOOL_OR(
          NOT (
            COALESCE(
              (
                "t28"."value_as_concept_id" IS NOT NULL
              )
              AND "t28"."value_as_concept_id" IN (9189, 45878583),
              FALSE
            )
          )
        ) AS "fh_positive",
        BOOL_OR(
          COALESCE(
            (
              "t28"."value_as_concept_id" IS NOT NULL
            )
            AND "t28"."value_as_concept_id" IN (9189, 45878583),
            FALSE
          )
        ) AS "fh_negative"
      FROM (
        SELECT
          "t12"."person_id",
          "t12"."observation_concept_id",
          "t12"."value_as_concept_id"
        FROM (
          SELECT
            *
          FROM "observation" AS "t3"
          WHERE
            FALSE
        ) AS "t12"
        WHERE
          EXISTS(
            SELECT
              1
            FROM (
              SELECT
                "t21"."person_id"
              FROM "t20" AS "t21"
              WHERE
                "t21"."chronic" AND NOT (
                  "t21"."diagnosed"
                )
            ) AS "t25"
            WHERE
              "t12"."person_id" = "t25"."person_id"
          )
      ) AS "t28"
      GROUP BY
        1
    ) AS "t36"
  ) AS "t38"
    ON "t24"."person_id" = "t38"."o_person_id"
  LEFT OUTER JOIN (
    SELECT
      "t30"."person_id" AS "p_person_id",
      "t30"."n_sij"
    FROM (
      SELECT
        "t29"."person_id",
        COUNT(*) AS "n_sij"
      FROM (
        SELECT
          "t13"."person_id",
          "t13"."procedure_concept_id"
        FROM (
          SELECT
            *
          FROM "procedure_occurrence" AS "t4"
          WHERE
            FALSE
        ) AS "t13"
        WHERE
          EXISTS(
            SELECT
              1
            FROM (
              SELECT
                "t21"."person_id"
              FROM "t20" AS "t21"
              WHERE
                "t21"."chronic" AND NOT (
                  "t21"."diagnosed"
                )
            ) AS "t25"
            WHERE
              "t13"."person_id" = "t25"."person_id"
          )
      ) AS "t29"
      GROUP BY
        1
    ) AS "t30"
  ) AS "t34"
    ON "t24"."person_id" = "t34"."p_person_id"
), "t48" AS (
  SELECT
    "t47"."inflammatory_back_pain",
    "t47"."enthesitis_heel",
    "t47"."peripheral_arthritis",
    "t47"."dactylitis",
    "t47"."anterior_uveitis",
    "t47"."family_history",
    "t47"."psoriasis",
    "t47"."ibd",
    "t47"."nsaid_response",
    "t47"."elevated_crp_or_esr",
    "t47"."hla_b27",
    "t47"."mri_sacroiliitis",
    "t47"."log_odds",
    "t47"."contributions",
    "t47"."_findings_key",
    CAST(1.0 AS DOUBLE PRECISION) / (
      EXP(-(
        "t47"."log_odds"
      )) + 1.0
    ) AS "probability_literature"
  FROM (
    SELECT
      "t44"."inflammatory_back_pain",
      "t44"."enthesitis_heel",
      "t44"."peripheral_arthritis",
      "t44"."dactylitis",
      "t44"."anterior_uveitis",
      "t44"."family_history",
      "t44"."psoriasis",
      "t44"."ibd",
      "t44"."nsaid_response",
      "t44"."elevated_crp_or_esr",
      "t44"."hla_b27",
      "t44"."mri_sacroiliitis",
      CAST(CAST('-2.9444389791664403' AS DECIMAL(18, 16)) + CASE
        WHEN COALESCE("t44"."inflammatory_back_pain", FALSE)
        THEN CAST('1.1314021114911006' AS DECIMAL(18, 16))
        WHEN COALESCE(NOT (
          "t44"."inflammatory_back_pain"
        ), FALSE)
        THEN CAST('-1.1086626245216111' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."enthesitis_heel", FALSE)
        THEN CAST('1.2237754316221157' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."peripheral_arthritis", FALSE)
        THEN CAST('1.3862943611198906' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."dactylitis", FALSE)
        THEN CAST('1.5040773967762742' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."anterior_uveitis", FALSE)
        THEN CAST('1.9878743481543455' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."family_history", FALSE)
        THEN CAST('1.8562979903656263' AS DECIMAL(18, 16))
        WHEN COALESCE(NOT (
          "t44"."family_history"
        ), FALSE)
        THEN CAST('-0.3285040669720361' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."psoriasis", FALSE)
        THEN CAST('0.9162907318741551' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."ibd", FALSE)
        THEN CAST('1.3862943611198906' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."nsaid_response", FALSE)
        THEN CAST('1.6292405397302800' AS DECIMAL(18, 16))
        WHEN COALESCE(NOT (
          "t44"."nsaid_response"
        ), FALSE)
        THEN CAST('-1.3093333199837622' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."elevated_crp_or_esr", FALSE)
        THEN CAST('0.9162907318741551' AS DECIMAL(18, 16))
        WHEN COALESCE(NOT (
          "t44"."elevated_crp_or_esr"
        ), FALSE)
        THEN CAST('-0.4620354595965587' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN (
          COALESCE("t44"."psoriasis", FALSE) OR COALESCE("t44"."ibd", FALSE)
        )
        AND COALESCE("t44"."hla_b27", FALSE)
        THEN CAST('1.6094379124341003' AS DECIMAL(18, 16))
        WHEN (
          COALESCE("t44"."psoriasis", FALSE) OR COALESCE("t44"."ibd", FALSE)
        )
        AND COALESCE(NOT (
          "t44"."hla_b27"
        ), FALSE)
        THEN CAST('-0.5798184952529420' AS DECIMAL(18, 16))
        WHEN COALESCE("t44"."hla_b27", FALSE)
        THEN CAST('2.1972245773362196' AS DECIMAL(18, 16))
        WHEN COALESCE(NOT (
          "t44"."hla_b27"
        ), FALSE)
        THEN CAST('-2.2072749131897207' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END + CASE
        WHEN COALESCE("t44"."mri_sacroiliitis", FALSE)
        THEN CAST('2.1972245773362196' AS DECIMAL(18, 16))
        WHEN COALESCE(NOT (
          "t44"."mri_sacroiliitis"
        ), FALSE)
        THEN CAST('-2.2072749131897207' AS DECIMAL(18, 16))
        ELSE CAST('0E-16' AS DECIMAL(18, 16))
      END AS DOUBLE PRECISION) AS "log_odds",
      CONCAT_WS(
        '; ',
        CASE
          WHEN COALESCE("t44"."inflammatory_back_pain", FALSE)
          THEN 'inflammatory_back_pain+ (LR 3.1)'
          WHEN COALESCE(NOT (
            "t44"."inflammatory_back_pain"
          ), FALSE)
          THEN 'inflammatory_back_pain- (LR 0.33)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."enthesitis_heel", FALSE)
          THEN 'enthesitis_heel+ (LR 3.4)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."peripheral_arthritis", FALSE)
          THEN 'peripheral_arthritis+ (LR 4)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."dactylitis", FALSE)
          THEN 'dactylitis+ (LR 4.5)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."anterior_uveitis", FALSE)
          THEN 'anterior_uveitis+ (LR 7.3)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."family_history", FALSE)
          THEN 'family_history+ (LR 6.4)'
          WHEN COALESCE(NOT (
            "t44"."family_history"
          ), FALSE)
          THEN 'family_history- (LR 0.72)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."psoriasis", FALSE)
          THEN 'psoriasis+ (LR 2.5)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."ibd", FALSE)
          THEN 'ibd+ (LR 4)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."nsaid_response", FALSE)
          THEN 'nsaid_response+ (LR 5.1)'
          WHEN COALESCE(NOT (
            "t44"."nsaid_response"
          ), FALSE)
          THEN 'nsaid_response- (LR 0.27)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."elevated_crp_or_esr", FALSE)
          THEN 'elevated_crp_or_esr+ (LR 2.5)'
          WHEN COALESCE(NOT (
            "t44"."elevated_crp_or_esr"
          ), FALSE)
          THEN 'elevated_crp_or_esr- (LR 0.63)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN (
            COALESCE("t44"."psoriasis", FALSE) OR COALESCE("t44"."ibd", FALSE)
          )
          AND COALESCE("t44"."hla_b27", FALSE)
          THEN 'hla_b27+ (LR 5)'
          WHEN (
            COALESCE("t44"."psoriasis", FALSE) OR COALESCE("t44"."ibd", FALSE)
          )
          AND COALESCE(NOT (
            "t44"."hla_b27"
          ), FALSE)
          THEN 'hla_b27- (LR 0.56)'
          WHEN COALESCE("t44"."hla_b27", FALSE)
          THEN 'hla_b27+ (LR 9)'
          WHEN COALESCE(NOT (
            "t44"."hla_b27"
          ), FALSE)
          THEN 'hla_b27- (LR 0.11)'
          ELSE CAST(NULL AS VARCHAR)
        END,
        CASE
          WHEN COALESCE("t44"."mri_sacroiliitis", FALSE)
          THEN 'mri_sacroiliitis+ (LR 9)'
          WHEN COALESCE(NOT (
            "t44"."mri_sacroiliitis"
          ), FALSE)
          THEN 'mri_sacroiliitis- (LR 0.11)'
          ELSE CAST(NULL AS VARCHAR)
        END
      ) AS "contributions",
      0 + CASE
        WHEN COALESCE("t44"."inflammatory_back_pain", FALSE)
        THEN 1
        WHEN COALESCE(NOT (
          "t44"."inflammatory_back_pain"
        ), FALSE)
        THEN 2
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."enthesitis_heel", FALSE)
        THEN 4
        WHEN COALESCE(NOT (
          "t44"."enthesitis_heel"
        ), FALSE)
        THEN 8
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."peripheral_arthritis", FALSE)
        THEN 16
        WHEN COALESCE(NOT (
          "t44"."peripheral_arthritis"
        ), FALSE)
        THEN 32
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."dactylitis", FALSE)
        THEN 64
        WHEN COALESCE(NOT (
          "t44"."dactylitis"
        ), FALSE)
        THEN 128
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."anterior_uveitis", FALSE)
        THEN 256
        WHEN COALESCE(NOT (
          "t44"."anterior_uveitis"
        ), FALSE)
        THEN 512
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."family_history", FALSE)
        THEN 1024
        WHEN COALESCE(NOT (
          "t44"."family_history"
        ), FALSE)
        THEN 2048
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."psoriasis", FALSE)
        THEN 4096
        WHEN COALESCE(NOT (
          "t44"."psoriasis"
        ), FALSE)
        THEN 8192
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."ibd", FALSE)
        THEN 16384
        WHEN COALESCE(NOT (
          "t44"."ibd"
        ), FALSE)
        THEN 32768
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."nsaid_response", FALSE)
        THEN 65536
        WHEN COALESCE(NOT (
          "t44"."nsaid_response"
        ), FALSE)
        THEN 131072
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."elevated_crp_or_esr", FALSE)
        THEN 262144
        WHEN COALESCE(NOT (
          "t44"."elevated_crp_or_esr"
        ), FALSE)
        THEN 524288
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."hla_b27", FALSE)
        THEN 1048576
        WHEN COALESCE(NOT (
          "t44"."hla_b27"
        ), FALSE)
        THEN 2097152
        ELSE 0
      END + CASE
        WHEN COALESCE("t44"."mri_sacroiliitis", FALSE)
        THEN 4194304
        WHEN COALESCE(NOT (
          "t44"."mri_sacroiliitis"
        ), FALSE)
        THEN 8388608
        ELSE 0
      END AS "_findings_key"
    FROM (
      SELECT DISTINCT
        "t43"."inflammatory_back_pain",
        "t43"."enthesitis_heel",
        "t43"."peripheral_arthritis",
        "t43"."dactylitis",
        "t43"."anterior_uveitis",
        "t43"."family_history",
        "t43"."psoriasis",
        "t43"."ibd",
        "t43"."nsaid_response",
        "t43"."elevated_crp_or_esr",
        "t43"."hla_b27",
        "t43"."mri_sacroiliitis"
      FROM "t42" AS "t43"
    ) AS "t44"
  ) AS "t47"
)
SELECT
  *
FROM (
  SELECT
    "t57"."rank",
    "t57"."person_id",
    "t54"."probability_literature",
    "t54"."category",
    "t57"."log_odds",
    "t54"."contributions",
    "t57"."inflammatory_back_pain",
    "t57"."enthesitis_heel",
    "t57"."peripheral_arthritis",
    "t57"."dactylitis",
    "t57"."anterior_uveitis",
    "t57"."family_history",
    "t57"."psoriasis",
    "t57"."ibd",
    "t57"."nsaid_response",
    "t57"."elevated_crp_or_esr",
    "t57"."hla_b27",
    "t57"."mri_sacroiliitis",
    "t57"."first_back_pain_date",
    "t57"."age_at_onset",
    "t57"."nsaid_exposures",
    "t57"."sij_imaging"
  FROM (
    SELECT
      "t55"."person_id",
      "t55"."inflammatory_back_pain",
      "t55"."enthesitis_heel",
      "t55"."peripheral_arthritis",
      "t55"."dactylitis",
      "t55"."anterior_uveitis",
      "t55"."family_history",
      "t55"."psoriasis",
      "t55"."ibd",
      "t55"."nsaid_response",
      "t55"."elevated_crp_or_esr",
      "t55"."hla_b27",
      "t55"."mri_sacroiliitis",
      "t55"."first_back_pain_date",
      "t55"."age_at_onset",
      "t55"."nsaid_exposures",
      "t55"."sij_imaging",
      "t55"."_findings_key",
      "t55"."log_odds",
      (
        ROW_NUMBER() OVER (
          ORDER BY "t55"."log_odds" DESC NULLS LAST, "t55"."person_id" ASC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) - 1
      ) + 1 AS "rank"
    FROM (
      SELECT
        "t46"."person_id",
        "t46"."inflammatory_back_pain",
        "t46"."enthesitis_heel",
        "t46"."peripheral_arthritis",
        "t46"."dactylitis",
        "t46"."anterior_uveitis",
        "t46"."family_history",
        "t46"."psoriasis",
        "t46"."ibd",
        "t46"."nsaid_response",
        "t46"."elevated_crp_or_esr",
        "t46"."hla_b27",
        "t46"."mri_sacroiliitis",
        "t46"."first_back_pain_date",
        "t46"."age_at_onset",
        "t46"."nsaid_exposures",
        "t46"."sij_imaging",
        "t46"."_findings_key",
        "t51"."log_odds"
      FROM (
        SELECT
          "t43"."person_id",
          "t43"."inflammatory_back_pain",
          "t43"."enthesitis_heel",
          "t43"."peripheral_arthritis",
          "t43"."dactylitis",
          "t43"."anterior_uveitis",
          "t43"."family_history",
          "t43"."psoriasis",
          "t43"."ibd",
          "t43"."nsaid_response",
          "t43"."elevated_crp_or_esr",
          "t43"."hla_b27",
          "t43"."mri_sacroiliitis",
          "t43"."first_back_pain_date",
          "t43"."age_at_onset",
          "t43"."nsaid_exposures",
          "t43"."sij_imaging",
          0 + CASE
            WHEN COALESCE("t43"."inflammatory_back_pain", FALSE)
            THEN 1
            WHEN COALESCE(NOT (
              "t43"."inflammatory_back_pain"
            ), FALSE)
            THEN 2
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."enthesitis_heel", FALSE)
            THEN 4
            WHEN COALESCE(NOT (
              "t43"."enthesitis_heel"
            ), FALSE)
            THEN 8
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."peripheral_arthritis", FALSE)
            THEN 16
            WHEN COALESCE(NOT (
              "t43"."peripheral_arthritis"
            ), FALSE)
            THEN 32
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."dactylitis", FALSE)
            THEN 64
            WHEN COALESCE(NOT (
              "t43"."dactylitis"
            ), FALSE)
            THEN 128
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."anterior_uveitis", FALSE)
            THEN 256
            WHEN COALESCE(NOT (
              "t43"."anterior_uveitis"
            ), FALSE)
            THEN 512
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."family_history", FALSE)
            THEN 1024
            WHEN COALESCE(NOT (
              "t43"."family_history"
            ), FALSE)
            THEN 2048
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."psoriasis", FALSE)
            THEN 4096
            WHEN COALESCE(NOT (
              "t43"."psoriasis"
            ), FALSE)
            THEN 8192
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."ibd", FALSE)
            THEN 16384
            WHEN COALESCE(NOT (
              "t43"."ibd"
            ), FALSE)
            THEN 32768
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."nsaid_response", FALSE)
            THEN 65536
            WHEN COALESCE(NOT (
              "t43"."nsaid_response"
            ), FALSE)
            THEN 131072
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."elevated_crp_or_esr", FALSE)
            THEN 262144
            WHEN COALESCE(NOT (
              "t43"."elevated_crp_or_esr"
            ), FALSE)
            THEN 524288
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."hla_b27", FALSE)
            THEN 1048576
            WHEN COALESCE(NOT (
              "t43"."hla_b27"
            ), FALSE)
            THEN 2097152
            ELSE 0
          END + CASE
            WHEN COALESCE("t43"."mri_sacroiliitis", FALSE)
            THEN 4194304
            WHEN COALESCE(NOT (
              "t43"."mri_sacroiliitis"
            ), FALSE)
            THEN 8388608
            ELSE 0
          END AS "_findings_key"
        FROM "t42" AS "t43"
      ) AS "t46"
      INNER JOIN (
        SELECT
          "t49"."_findings_key",
          "t49"."log_odds"
        FROM "t48" AS "t49"
      ) AS "t51"
        ON "t46"."_findings_key" = "t51"."_findings_key"
    ) AS "t55"
  ) AS "t57"
  INNER JOIN (
    SELECT
      "t52"."_findings_key",
      "t52"."probability_literature",
      "t52"."category",
      "t52"."contributions"
    FROM (
      SELECT
        "t49"."_findings_key",
        "t49"."probability_literature",
        CASE
          WHEN "t49"."probability_literature" < 0.1
          THEN 'unlikely'
          WHEN "t49"."probability_literature" < 0.8
          THEN 'possible'
          WHEN "t49"."probability_literature" < 0.9
          THEN 'probable'
          ELSE 'definite'
        END AS "category",
        "t49"."log_odds",
        "t49"."contributions"
      FROM "t48" AS "t49"
    ) AS "t52"
  ) AS "t54"
    ON "t57"."_findings_key" = "t54"."_findings_key"
) AS "t58"
ORDER BY
  "t58"."rank" ASC
