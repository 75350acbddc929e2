"""The one write path: every change to goals, progress, 1:1s, KPI values and feedback, and
(:mod:`tools.writes.people`, an admin action of the directory's provisioning) to people.

Design: :mod:`tools.policy` says who may write what and which links are allowed;
:mod:`tools.rules` holds the record rules; :mod:`tools.writes.inputs` the typed inputs the API
and the forms validate with; one module here per data domain does the write: it finds the
record within the viewer's reach (else :class:`~tools.errors.OutOfReach`), asks the policy
(:class:`~tools.errors.NotAllowed`), checks links and rules (:class:`~tools.errors.InvalidField`),
changes the record and appends one audit event (:mod:`tools.store.audit`) with the record
before and after. Each function takes the :class:`~tools.context.ToolContext` of the writer,
flushes, and leaves the commit to its caller, so a request or an import is one transaction.

The names below are stable: the web forms and pages build on them.
"""
from tools.writes.checkins import checkin_or_deny, create_checkin, delete_checkin, set_action_done, update_checkin
from tools.writes.feedback import delete_feedback, give_feedback, update_feedback
from tools.writes.goals import create_goal, create_key_result, delete_goal, goal_or_deny, update_goal
from tools.writes.kpis import delete_kpi_value, kpi_or_deny, set_kpi_value
from tools.writes.progress import add_progress, delete_progress, update_or_deny, update_progress

__all__ = [
    "add_progress", "checkin_or_deny", "create_checkin", "create_goal", "create_key_result", "delete_checkin",
    "delete_feedback", "delete_goal", "delete_kpi_value", "delete_progress", "give_feedback", "goal_or_deny",
    "kpi_or_deny", "set_action_done", "set_kpi_value", "update_checkin", "update_feedback", "update_goal",
    "update_or_deny", "update_progress",
]
