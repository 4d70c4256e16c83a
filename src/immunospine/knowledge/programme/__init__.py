"""The exercise, physiotherapy and stress-reduction programme (issue 12 §2), pure.

- ``catalogue``: the sessions as data (``data/catalogue.toml``) with dose, progression, safety
  notes, contraindications, sources and a verified flag;
- ``request``: what the planner is given (``PlanRequest``), validated with errors that name the
  field, the value and the allowed range;
- ``planner``: ``plan_week`` — one week's plan growing toward the physical-activity dose, eased
  during a flare, explained in sentences; an open red flag gives the red-flag advice, no plan
  (``plan_weeks``: weeks 1 to n in one pass);
- ``sessions``: one week's sessions on days (``WeekBuilder``, ``PlannedSession``);
- ``adherence``: sessions done vs planned, streaks, reasons for missed sessions.

Decision support: the plan is something to discuss with the physiotherapist or clinician.
"""

__all__ = ["adherence", "catalogue", "planner", "request", "sessions"]
