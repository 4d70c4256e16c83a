"""Generator overrides: a run's calibration parameters replaced by name (a site's coding habits)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from immunospine.cohort import synthetic as generator
from immunospine.cohort.synthetic.calibration import P, allowed_range, with_overrides
from immunospine.errors import InputError
from immunospine.services.cohort_data import generator_overrides


def test_override_changes_what_it_names_and_is_recorded(tmp_path: Path) -> None:
    base, odd = tmp_path / "base", tmp_path / "odd"
    generator.generate(base, 3_000, seed=5, chunk_size=1_000)
    res = generator.generate(
        odd, 3_000, seed=5, chunk_size=1_000, overrides={"cbp_prevalence": 0.6}
    )
    cbp = pq.read_table(odd / "truth.parquet").column("chronic_back_pain").to_numpy()
    cbp0 = pq.read_table(base / "truth.parquet").column("chronic_back_pain").to_numpy()
    assert abs(cbp.mean() - 0.6) < 0.04 and abs(cbp0.mean() - P["cbp_prevalence"]) < 0.03
    assert res.overrides == {"cbp_prevalence": 0.6}
    run = json.loads((odd / generator.RUN_FILE).read_text())
    assert run["overrides"] == {"cbp_prevalence": 0.6}
    assert (run["persons"], run["seed"], run["density"]) == (3_000, 5, "light")
    assert json.loads((base / generator.RUN_FILE).read_text())["overrides"] == {}


def test_unknown_name_gives_the_nearest_names() -> None:
    with pytest.raises(InputError, match="nearest: uveitis_axspa") as exc:
        with_overrides({"uveitis_axpsa": 0.3})
    assert exc.value.problems[0].loc == ("overrides", "uveitis_axpsa")


@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        ("uveitis_axspa", 1.5, r"uveitis_axspa = 1.5: must be between 0 and 1 \(a probability\)"),
        ("uveitis_axspa", -0.1, "between 0 and 1"),
        ("uveitis_axspa", float("nan"), "between 0 and 1"),
        ("outpatient_per_year", -1.0, r"between 0 and 365 \(a mean count per observed year\)"),
        ("axspa_onset_age_sd", 0.0, "between 0.1 and 50"),
        ("bp_extra_codes_axspa", 5000.0, "between 0 and 1000"),
        ("uveitis_axspa", True, "must be a number"),
        ("race_white", 0.9, "race shares .* sum to 1.09"),
    ],
)
def test_impossible_values_are_refused(name: str, value: float, match: str) -> None:
    with pytest.raises(InputError, match=match):
        with_overrides({name: value})


def test_every_parameter_default_lies_in_its_range() -> None:
    for c in generator.CALIBRATION:
        lo, hi, _ = allowed_range(c.name)
        assert lo <= c.value <= hi, c.name
    assert with_overrides(None) == P


def test_profile_and_set_assignments(tmp_path: Path) -> None:
    prof = tmp_path / "site.toml"
    prof.write_text("uveitis_axspa = 0.4\ncbp_prevalence = 0.2\n")
    got = generator_overrides(["uveitis_axspa=0.5", " ibd_other = 0.01"], prof)
    assert got == {"uveitis_axspa": 0.5, "cbp_prevalence": 0.2, "ibd_other": 0.01}
    with pytest.raises(InputError, match='set = "uveitis_axspa": must be NAME=VALUE'):
        generator_overrides(["uveitis_axspa"])
    with pytest.raises(InputError, match="must be NAME=VALUE"):
        generator_overrides(["uveitis_axspa=high"])
    prof.write_text('uveitis_axspa = "high"\n')
    with pytest.raises(InputError, match=r"profile .* uveitis_axspa must be a number"):
        generator_overrides([], prof)
    prof.write_text("uveitis_axspa = \n")
    with pytest.raises(InputError, match="not valid TOML"):
        generator_overrides([], prof)
    with pytest.raises(InputError, match="cannot be read"):
        generator_overrides([], tmp_path / "missing.toml")


def test_bad_override_fails_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "never"
    with pytest.raises(InputError):
        generator.generate(out, 10, seed=1, overrides={"nope": 1.0})
    assert not out.exists()
    assert np.isfinite(P["uveitis_axspa"])
