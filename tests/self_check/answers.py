"""Typed answer sets shared by the self-check tests (invented people, no real patient data)."""

from __future__ import annotations

from immunospine.services.self_check import QUESTIONS, Session

# A 32-year-old man with the typical story of ankylosing spondylitis; one red flag unknown.
TYPICAL_AS: dict[str, str] = {
    "age": "32",
    "sex": "m",
    "has_back_pain": "y",
    "duration_months": "5 years",
    "age_at_onset": "27",
    "insidious_onset": "y",
    "morning_stiffness": "y",
    "morning_stiffness_minutes": "1 hour",
    "improves_with_exercise": "y",
    "improves_with_rest": "n",
    "night_pain": "y",
    "wakes_second_half_of_night": "y",
    "buttock_pain": "y",
    "alternating_buttock_pain": "y",
    "enthesitis_heel": "y",
    "peripheral_arthritis": "n",
    "dactylitis": "n",
    "anterior_uveitis": "n",
    "psoriasis": "n",
    "ibd": "n",
    "family_history": "y",
    "nsaid_response": "y",
    "elevated_crp_or_esr": "d",
    "hla_b27": "y",
    "mri_sacroiliitis": "d",
    **{q.id: "n" for q in QUESTIONS if q.field is not None and q.field[0] == "red_flags"},
    "thoracic_pain": "d",
}


def answer_all(answers: dict[str, str], session: Session | None = None) -> Session:
    """Type the answer for each question the session asks, until it is over."""
    session = session or Session()
    while (question := session.current) is not None:
        reply = session.submit(answers[question.id])
        assert reply.status in {"accepted", "finished", "stopped"}, (question.id, reply)
    return session
