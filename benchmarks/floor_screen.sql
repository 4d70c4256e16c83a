-- The same-work floor (b) of benchmarks/bench_scale.py: the axSpA worklist in one hand-written
-- DuckDB query, written to be fast, over the same Parquet files as `immunospine cohort screen`.
--
-- Same persons, findings, log-odds, probabilities, categories, contributions and ranks as the
-- screen (the bench checks every column equal). The query text is written by hand; only the
-- values in {braces} are filled in by bench_scale.py, never typed here:
--   * {person}, {condition_occurrence}, ... : read_parquet(...) of the table's file(s);
--   * {back_pain}, {crp}, ...              : the concept ids of the screen's own resolution
--                                            (runner.resolve_concepts), NULL when a set is empty;
--   * {ln_pos_X}/{ln_neg_X}, {lab_pos_X}/{lab_neg_X}: ln LR+ / ln LR- of finding X as
--     DECIMAL(18,16) literals and its contribution label, from knowledge.probability.axspa
--     (ln_neg is 0 and lab_neg NULL where the LR table ignores a negative); the _ctx variants are
--     the HLA-B27 row that applies with psoriasis or IBD;
--   * {crp_units}, {crp_limit}, ...        : cohort.concepts.CRP_RULE / ESR_RULE;
--   * {band_1} ... and {label_*}           : knowledge CATEGORIES.
--
-- How it is made fast: every table is scanned once, filtered by a semi-join to its concept ids
-- (`IN (SELECT unnest([...]))`: DuckDB pushes the join's filter into the Parquet scan, so the
-- other columns are decoded only for matching rows; a literal IN list of more than a few values
-- becomes a MARK join after the scan, 3-4x slower on 100 M measurement rows); conditions are
-- folded per person into one BIT_OR of per-row set bits (and MIN/MAX back-pain date); the four
-- other tables are semi-joined to the screened persons before they are grouped; the model is
-- evaluated once per finding pattern (a few hundred distinct patterns, keyed by two bits per
-- finding), with an exact DECIMAL sum of the ln LR terms as the screen does; the rank is the row
-- number after one sort by (log-odds desc, person_id).
WITH
cond AS (
    -- one bit per concept set a condition row is in, OR-ed per person
    SELECT
        person_id,
        min(CASE WHEN code & 1 <> 0 THEN condition_start_date END) AS first_bp,
        max(CASE WHEN code & 1 <> 0 THEN condition_start_date END) AS last_bp,
        bit_or(code) AS codes
    FROM (
        SELECT
            person_id,
            condition_start_date,
            (CASE WHEN condition_concept_id IN ({back_pain}) THEN 1 ELSE 0 END)
            | (CASE WHEN condition_concept_id IN ({chronic_back_pain_coded}) THEN 2 ELSE 0 END)
            | (CASE WHEN condition_concept_id IN ({axspa_diagnosis}) THEN 4 ELSE 0 END)
            | (CASE WHEN condition_concept_id IN ({uveitis}) THEN 8 ELSE 0 END)
            | (CASE WHEN condition_concept_id IN ({psoriasis}) THEN 16 ELSE 0 END)
            | (CASE WHEN condition_concept_id IN ({ibd}) THEN 32 ELSE 0 END)
            | (CASE WHEN condition_concept_id IN ({enthesitis}) THEN 64 ELSE 0 END)
            | (CASE WHEN condition_concept_id IN ({dactylitis}) THEN 128 ELSE 0 END) AS code
        FROM {condition_occurrence}
        WHERE condition_concept_id IN (SELECT unnest([{condition_wanted}]))
    )
    GROUP BY person_id
),
pop AS (
    SELECT
        c.person_id,
        c.first_bp,
        CAST(year(c.first_bp) - p.year_of_birth AS INTEGER) AS age_at_onset,
        c.codes & 8 <> 0 AS uveitis,
        c.codes & 16 <> 0 AS psoriasis,
        c.codes & 32 <> 0 AS ibd,
        c.codes & 64 <> 0 AS enthesitis,
        c.codes & 128 <> 0 AS dactylitis
    FROM cond AS c
    JOIN {person} AS p ON p.person_id = c.person_id
    WHERE c.first_bp IS NOT NULL
      AND c.codes & 4 = 0
      AND (c.codes & 2 <> 0 OR c.last_bp >= c.first_bp + INTERVAL ({chronic_min_days}) DAY)
),
meas AS (
    -- per row: 1 CRP/ESR raised, 2 judged, 4 HLA-B27 positive, 8 negative, 16 MRI positive,
    -- 32 negative; OR-ed per person
    SELECT person_id, bit_or(code) AS codes
    FROM (
        SELECT
            person_id,
            (CASE WHEN
                (measurement_concept_id IN ({crp}) AND CASE
                    WHEN range_high IS NOT NULL THEN value_as_number > range_high
                    ELSE value_as_number * (CASE unit_concept_id {crp_units} END) > {crp_limit}
                    END)
                OR (measurement_concept_id IN ({esr}) AND CASE
                    WHEN range_high IS NOT NULL THEN value_as_number > range_high
                    ELSE value_as_number * (CASE unit_concept_id {esr_units} END) > {esr_limit}
                    END)
             THEN 1 ELSE 0 END)
            | (CASE WHEN value_as_number IS NOT NULL AND (
                (measurement_concept_id IN ({crp}) AND (range_high IS NOT NULL
                    OR (CASE unit_concept_id {crp_units} END) IS NOT NULL))
                OR (measurement_concept_id IN ({esr}) AND (range_high IS NOT NULL
                    OR (CASE unit_concept_id {esr_units} END) IS NOT NULL)))
               THEN 2 ELSE 0 END)
            | (CASE WHEN value_as_concept_id IN ({positive_result}) OR value_as_number > 0 THEN
                   (CASE WHEN measurement_concept_id IN ({hla_b27}) THEN 4 ELSE 0 END)
                   | (CASE WHEN measurement_concept_id IN ({sij_imaging}) THEN 16 ELSE 0 END)
               ELSE 0 END)
            | (CASE WHEN value_as_concept_id IN ({negative_result}) OR value_as_number = 0 THEN
                   (CASE WHEN measurement_concept_id IN ({hla_b27}) THEN 8 ELSE 0 END)
                   | (CASE WHEN measurement_concept_id IN ({sij_imaging}) THEN 32 ELSE 0 END)
               ELSE 0 END) AS code
        FROM {measurement}
        WHERE measurement_concept_id IN (SELECT unnest([{measurement_wanted}]))
          AND person_id IN (SELECT person_id FROM pop)
    )
    GROUP BY person_id
),
drugs AS (
    SELECT person_id, count(DISTINCT drug_exposure_start_date) AS n_nsaid
    FROM {drug_exposure}
    WHERE drug_concept_id IN (SELECT unnest([{nsaids}])) AND person_id IN (SELECT person_id FROM pop)
    GROUP BY person_id
),
obs AS (
    SELECT
        person_id,
        bool_or(NOT coalesce(value_as_concept_id IN ({negative_result}), FALSE)) AS fh_pos,
        bool_or(coalesce(value_as_concept_id IN ({negative_result}), FALSE)) AS fh_neg
    FROM {observation}
    WHERE observation_concept_id IN (SELECT unnest([{family_history}]))
      AND person_id IN (SELECT person_id FROM pop)
    GROUP BY person_id
),
procs AS (
    SELECT DISTINCT person_id
    FROM {procedure_occurrence}
    WHERE procedure_concept_id IN (SELECT unnest([{sij_imaging}])) AND person_id IN (SELECT person_id FROM pop)
),
feat AS (
    SELECT
        p.person_id,
        CAST(NULL AS BOOLEAN) AS inflammatory_back_pain,
        CASE WHEN p.enthesitis THEN TRUE END AS enthesitis_heel,
        CAST(NULL AS BOOLEAN) AS peripheral_arthritis,
        CASE WHEN p.dactylitis THEN TRUE END AS dactylitis,
        CASE WHEN p.uveitis THEN TRUE END AS anterior_uveitis,
        CASE WHEN o.fh_pos THEN TRUE WHEN o.fh_neg THEN FALSE END AS family_history,
        CASE WHEN p.psoriasis THEN TRUE END AS psoriasis,
        CASE WHEN p.ibd THEN TRUE END AS ibd,
        CASE WHEN d.n_nsaid >= {nsaid_min_exposures} THEN TRUE END AS nsaid_response,
        CASE WHEN m.codes & 1 <> 0 THEN TRUE WHEN m.codes & 2 <> 0 THEN FALSE END
            AS elevated_crp_or_esr,
        CASE WHEN m.codes & 4 <> 0 THEN TRUE WHEN m.codes & 8 <> 0 THEN FALSE END AS hla_b27,
        CASE WHEN m.codes & 16 <> 0 THEN TRUE WHEN m.codes & 32 <> 0 THEN FALSE END
            AS mri_sacroiliitis,
        p.first_bp AS first_back_pain_date,
        p.age_at_onset,
        coalesce(d.n_nsaid, 0) AS nsaid_exposures,
        CASE WHEN r.person_id IS NOT NULL THEN TRUE END AS sij_imaging
    FROM pop AS p
    LEFT JOIN meas AS m ON m.person_id = p.person_id
    LEFT JOIN drugs AS d ON d.person_id = p.person_id
    LEFT JOIN obs AS o ON o.person_id = p.person_id
    LEFT JOIN procs AS r ON r.person_id = p.person_id
),
keyed AS (
    -- two bits per finding that can be known (1 present, 2 absent, 0 unknown)
    SELECT
        *,
        (CASE WHEN enthesitis_heel THEN 1 ELSE 0 END)
        + (CASE WHEN dactylitis THEN 4 ELSE 0 END)
        + (CASE WHEN anterior_uveitis THEN 16 ELSE 0 END)
        + (CASE WHEN family_history THEN 64 WHEN NOT family_history THEN 128 ELSE 0 END)
        + (CASE WHEN psoriasis THEN 256 ELSE 0 END)
        + (CASE WHEN ibd THEN 1024 ELSE 0 END)
        + (CASE WHEN nsaid_response THEN 4096 ELSE 0 END)
        + (CASE WHEN elevated_crp_or_esr THEN 16384 WHEN NOT elevated_crp_or_esr THEN 32768 ELSE 0 END)
        + (CASE WHEN hla_b27 THEN 65536 WHEN NOT hla_b27 THEN 131072 ELSE 0 END)
        + (CASE WHEN mri_sacroiliitis THEN 262144 WHEN NOT mri_sacroiliitis THEN 524288 ELSE 0 END)
        AS pattern
    FROM feat
),
patterns AS (
    SELECT
        pattern,
        CAST(
            {ln_pretest}
            + CASE WHEN any_value(enthesitis_heel) THEN {ln_pos_enthesitis_heel} ELSE {zero} END
            + CASE WHEN any_value(dactylitis) THEN {ln_pos_dactylitis} ELSE {zero} END
            + CASE WHEN any_value(anterior_uveitis) THEN {ln_pos_anterior_uveitis} ELSE {zero} END
            + CASE WHEN any_value(family_history) THEN {ln_pos_family_history}
                   WHEN NOT any_value(family_history) THEN {ln_neg_family_history} ELSE {zero} END
            + CASE WHEN any_value(psoriasis) THEN {ln_pos_psoriasis} ELSE {zero} END
            + CASE WHEN any_value(ibd) THEN {ln_pos_ibd} ELSE {zero} END
            + CASE WHEN any_value(nsaid_response) THEN {ln_pos_nsaid_response}
                   WHEN NOT any_value(nsaid_response) THEN {ln_neg_nsaid_response} ELSE {zero} END
            + CASE WHEN any_value(elevated_crp_or_esr) THEN {ln_pos_elevated_crp_or_esr}
                   WHEN NOT any_value(elevated_crp_or_esr) THEN {ln_neg_elevated_crp_or_esr}
                   ELSE {zero} END
            + CASE WHEN any_value(psoriasis) OR any_value(ibd) THEN
                       CASE WHEN any_value(hla_b27) THEN {ln_pos_hla_b27_ctx}
                            WHEN NOT any_value(hla_b27) THEN {ln_neg_hla_b27_ctx} ELSE {zero} END
                   ELSE
                       CASE WHEN any_value(hla_b27) THEN {ln_pos_hla_b27}
                            WHEN NOT any_value(hla_b27) THEN {ln_neg_hla_b27} ELSE {zero} END
                   END
            + CASE WHEN any_value(mri_sacroiliitis) THEN {ln_pos_mri_sacroiliitis}
                   WHEN NOT any_value(mri_sacroiliitis) THEN {ln_neg_mri_sacroiliitis}
                   ELSE {zero} END
        AS DOUBLE) AS log_odds,
        concat_ws('; ',
            CASE WHEN any_value(enthesitis_heel) THEN {lab_pos_enthesitis_heel} END,
            CASE WHEN any_value(dactylitis) THEN {lab_pos_dactylitis} END,
            CASE WHEN any_value(anterior_uveitis) THEN {lab_pos_anterior_uveitis} END,
            CASE WHEN any_value(family_history) THEN {lab_pos_family_history}
                 WHEN NOT any_value(family_history) THEN {lab_neg_family_history} END,
            CASE WHEN any_value(psoriasis) THEN {lab_pos_psoriasis} END,
            CASE WHEN any_value(ibd) THEN {lab_pos_ibd} END,
            CASE WHEN any_value(nsaid_response) THEN {lab_pos_nsaid_response}
                 WHEN NOT any_value(nsaid_response) THEN {lab_neg_nsaid_response} END,
            CASE WHEN any_value(elevated_crp_or_esr) THEN {lab_pos_elevated_crp_or_esr}
                 WHEN NOT any_value(elevated_crp_or_esr) THEN {lab_neg_elevated_crp_or_esr} END,
            CASE WHEN any_value(psoriasis) OR any_value(ibd) THEN
                     CASE WHEN any_value(hla_b27) THEN {lab_pos_hla_b27_ctx}
                          WHEN NOT any_value(hla_b27) THEN {lab_neg_hla_b27_ctx} END
                 ELSE
                     CASE WHEN any_value(hla_b27) THEN {lab_pos_hla_b27}
                          WHEN NOT any_value(hla_b27) THEN {lab_neg_hla_b27} END
                 END,
            CASE WHEN any_value(mri_sacroiliitis) THEN {lab_pos_mri_sacroiliitis}
                 WHEN NOT any_value(mri_sacroiliitis) THEN {lab_neg_mri_sacroiliitis} END
        ) AS contributions
    FROM keyed
    GROUP BY pattern
),
scored AS (
    SELECT
        pattern,
        log_odds,
        1.0 / (1.0 + exp(-log_odds)) AS probability,
        contributions
    FROM patterns
),
sorted AS (
    SELECT
        k.person_id,
        s.probability,
        CASE WHEN s.probability < {band_1} THEN {label_1}
             WHEN s.probability < {band_2} THEN {label_2}
             WHEN s.probability < {band_3} THEN {label_3}
             ELSE {label_4} END AS category,
        s.log_odds,
        s.contributions,
        k.* EXCLUDE (person_id, pattern)
    FROM keyed AS k
    JOIN scored AS s USING (pattern)
    ORDER BY s.log_odds DESC, k.person_id
)
-- the rank is the position in that one sort (DuckDB keeps a subquery's order through an
-- OVER () window; the bench checks every rank against the screen's)
SELECT row_number() OVER () AS rank, * FROM sorted
