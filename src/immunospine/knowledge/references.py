"""Published sources shared by several calculators, in one place so citations never drift apart.

Checked in issue 14 (what was seen is noted under each reference; identifiers not seen stay as
recalled and are listed in docs/clinical-decisions.md).
"""

from __future__ import annotations

from immunospine.knowledge._spec import Reference

GARRETT_1994_BASDAI = Reference(
    "Garrett S, Jenkinson T, Kennedy LG, et al. A new approach to defining disease status in "
    "ankylosing spondylitis: the Bath Ankylosing Spondylitis Disease Activity Index. "
    "J Rheumatol 1994;21:2286-91",
    pmid="7699630",
)
"""Not seen in issue 14: citation and PMID as recalled (no record of the paper was found)."""
LUKAS_2009_ASDAS = Reference(
    "Lukas C, Landewé R, Sieper J, et al. Development of an ASAS-endorsed disease activity score "
    "(ASDAS) in patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:18-24",
    doi="10.1136/ard.2008.094870",
)
"""Seen: title, authors and ARD 68(1):18 on ard.bmj.com/content/68/1/18; the DOI was not shown."""
MACHADO_2011_ASDAS_CUTOFFS = Reference(
    "Machado P, Landewé R, Lie E, et al. Ankylosing Spondylitis Disease Activity Score (ASDAS): "
    "defining cut-off values for disease activity states and improvement scores. "
    "Ann Rheum Dis 2011;70:47-53",
    doi="10.1136/ard.2010.138594",
)
"""Seen: title and authors on the ARD article page (70/1/47); the DOI was not shown."""
MACHADO_2018_ASDAS_UPDATE = Reference(
    "Machado PM, Landewé R, van der Heijde D. Ankylosing Spondylitis Disease Activity Score "
    "(ASDAS): 2018 update of the nomenclature for disease activity states. "
    "Ann Rheum Dis 2018;77:1539-40",
    doi="10.1136/annrheumdis-2018-213184",
    pmid="29453216",
)
"""Seen: DOI and PMID in a library record (ARD 2018;77(10):1539-40)."""
MACHADO_2015_ASDAS_CRP_FLOOR = Reference(
    "Machado P, Navarro-Compán V, Landewé R, et al. Calculating the ASDAS if the conventional "
    "CRP is below the limit of detection or if high-sensitivity CRP is used. "
    "Arthritis Rheumatol 2015;67:408-13",
    doi="10.1002/art.38921",
)
"""Seen: the DOI on the accepted manuscript (Arthritis Rheumatol, DOI 10.1002/art.38921)."""
