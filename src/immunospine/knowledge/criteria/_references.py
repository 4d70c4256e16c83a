"""Published sources of the classification criteria (shared by several criteria modules).

Identifiers marked "recalled" in a spec's ``unverified`` were not checked against a source
during this work; the others were seen in a source (see clinical.md Appendix C).
"""

from __future__ import annotations

from immunospine.knowledge._spec import Reference

CALIN_1977_IBP = Reference(
    "Calin A, Porta J, Fries JF, Schurman DJ. Clinical history as a screening test for "
    "ankylosing spondylitis. JAMA 1977;237:2613-4",
    pmid="140252",
)
RUDWALEIT_2006_BERLIN_IBP = Reference(
    "Rudwaleit M, Metter A, Listing J, Sieper J, Braun J. Inflammatory back pain in ankylosing "
    "spondylitis: a reassessment of the clinical history for application as classification and "
    "diagnostic criteria. Arthritis Rheum 2006;54:569-78",
    doi="10.1002/art.21619",
    pmid="16447233",
)
SIEPER_2009_ASAS_IBP = Reference(
    "Sieper J, van der Heijde D, Landewé R, et al. New criteria for inflammatory back pain in "
    "patients with chronic back pain: a real patient exercise by experts from the Assessment of "
    "SpondyloArthritis international Society (ASAS). Ann Rheum Dis 2009;68:784-8",
    doi="10.1136/ard.2008.101501",
    pmid="19147614",
)
DOUGADOS_1991_ESSG = Reference(
    "Dougados M, van der Linden S, Juhlin R, et al. The European Spondylarthropathy Study Group "
    "preliminary criteria for the classification of spondylarthropathy. "
    "Arthritis Rheum 1991;34:1218-27",
    doi="10.1002/art.1780341003",
    pmid="1930310",
)
AMOR_1990_SPA = Reference(
    "Amor B, Dougados M, Mijiyawa M. Critères de classification des spondylarthropathies. "
    "Rev Rhum Mal Osteoartic 1990;57:85-9",
    pmid="2181618",
)
RUDWALEIT_2009_ASAS_AXSPA = Reference(
    "Rudwaleit M, van der Heijde D, Landewé R, et al. The development of Assessment of "
    "SpondyloArthritis international Society classification criteria for axial "
    "spondyloarthritis (part II): validation and final selection. Ann Rheum Dis 2009;68:777-83",
    doi="10.1136/ard.2009.108233",
    pmid="19297344",
)
RUDWALEIT_2011_ASAS_PSPA = Reference(
    "Rudwaleit M, van der Heijde D, Landewé R, et al. The Assessment of SpondyloArthritis "
    "International Society classification criteria for peripheral spondyloarthritis and for "
    "spondyloarthritis in general. Ann Rheum Dis 2011;70:25-31",
    doi="10.1136/ard.2010.133645",
)
VAN_DER_LINDEN_1984_MNY = Reference(
    "van der Linden S, Valkenburg HA, Cats A. Evaluation of diagnostic criteria for ankylosing "
    "spondylitis. A proposal for modification of the New York criteria. "
    "Arthritis Rheum 1984;27:361-8",
    doi="10.1002/art.1780270401",
)
ALETAHA_2010_RA = Reference(
    "Aletaha D, Neogi T, Silman AJ, et al. 2010 Rheumatoid arthritis classification criteria: an "
    "American College of Rheumatology/European League Against Rheumatism collaborative "
    "initiative. Arthritis Rheum 2010;62:2569-81 (also Ann Rheum Dis 2010;69:1580-8, "
    "doi:10.1136/ard.2010.138461)",
    doi="10.1002/art.27584",
    pmid="20872595",
)
TAYLOR_2006_CASPAR = Reference(
    "Taylor W, Gladman D, Helliwell P, et al. Classification criteria for psoriatic arthritis: "
    "development of new criteria from a large international study. "
    "Arthritis Rheum 2006;54:2665-73",
    doi="10.1002/art.21972",
    pmid="16871531",
)
WOLFE_2016_FIBROMYALGIA = Reference(
    "Wolfe F, Clauw DJ, Fitzcharles MA, et al. 2016 Revisions to the 2010/2011 fibromyalgia "
    "diagnostic criteria. Semin Arthritis Rheum 2016;46:319-29",
    doi="10.1016/j.semarthrit.2016.08.012",
    pmid="27916278",
)

RECALLED_IDENTIFIERS = "DOI/PMID recalled from memory, not checked against a source"
