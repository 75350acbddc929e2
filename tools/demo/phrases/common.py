"""Sentence fragments any 1:1 note may use, whatever the team.

Placeholders: {name} the report, {mgr} the manager, {They}/{they}/{them}/{their} the
report's pronouns, {peer} a teammate, {n} a small number, {day} a weekday. Sentences with
a pronoun subject use the past tense so they read right for she, he and they alike.
"""
from __future__ import annotations

OPENINGS = (
    "Quick one today; {name} had a call straight after.",
    "{name} came in upbeat.",
    "Started with how the week went.",
    "We moved this from {day} because of the planning session.",
    "Good energy from {name} today.",
    "{name} looked tired, so we kept it focused.",
    "Walked through the week first, then goals.",
    "First 1:1 after {name}'s long weekend.",
    "Short agenda, mostly numbers.",
    "{name} brought a written agenda, which helped.",
    "Met in person for once.",
    "Ran over by ten minutes; worth it.",
    "Opened with the win from last week.",
    "Mostly a catch-up; no big decisions.",
    "Did this one on a walk.",
    "{name} wanted to start with the blocker, so we did.",
    "Kicked off by reviewing the action items from last time.",
    "Calm week according to {name}.",
    "Busy week on {their} side.",
    "Started ten minutes late (my fault).",
    "A good, honest conversation today.",
    "{name} asked to keep it short.",
    "Compared notes on the team meeting first.",
    "We spent the first half on goals.",
    "Touched base after the all-hands.",
    "Check-in over video; {name} is working from home this week.",
    "{name} had three things to cover and we got through all of them.",
    "Light week; used the time for a longer career chat.",
)

PROGRESS = (
    "On {goal}, we are at {value} against a target of {target}.",
    "{goal}: now {value}, started at {baseline}, aiming for {target} by {due}.",
    "{metric} moved from {previous} to {value} since we last spoke.",
    "{goal} looks {health}; {value} today versus {target} as the goal.",
    "{name} put confidence on {goal} at {confidence} out of 10.",
    "Numbers first: {metric} sits at {value} (goal {target}).",
    "We checked {goal} against the plan: {value} now, {target} needed by {due}.",
    "Progress on {goal} is {health}, {value} where the target is {target}.",
    "{name} thinks {target} is still reachable on {goal}; we are at {value}.",
    "Looked at the {metric} chart together: {previous} two weeks ago, {value} now.",
    "{goal} is {health}. Baseline was {baseline}, today {value}.",
    "For {goal}, {they} reported {value}; the target by {due} is {target}.",
)

HEALTH = {
    "on_track": ("on pace", "in good shape", "tracking well", "where it should be"),
    "done": ("done", "complete", "already hit"),
    "at_risk": ("a bit behind", "wobbly", "at risk", "slipping"),
    "off_track": ("well behind", "clearly off track", "far behind plan"),
    "not_started": ("not started", "still at the starting line"),
}

WORKLOAD = (
    "Workload feels heavy with two people out this week.",
    "{name} said the load is manageable again.",
    "{They} asked for help prioritising; too many small requests from other teams.",
    "Agreed {name} drops the side project until the end of the month.",
    "{name} is covering for {peer} while {peer} is on holiday.",
    "Said {they} had more focus time this week and it showed.",
    "Context switching is the main drain right now, per {name}.",
    "Meetings are eating {their} afternoons; we cut two recurring ones.",
    "{name} flagged that the rota next month looks uneven.",
    "Good balance this week according to {name}.",
    "{They} worked late twice; talked about not making that a habit.",
    "{name} wants one no-meeting day a week. Fine by me.",
)

CAREER = (
    "Talked about the senior track; {name} wants more ownership of {area}.",
    "{name} is curious about moving toward a lead role in a year or so.",
    "Career chat: {they} enjoyed mentoring {peer} and wants more of it.",
    "{name} asked what 'next level' looks like here. Promised to write it down.",
    "{They} mentioned an interest in a rotation with another team.",
    "Discussed a training budget for a course {they} found.",
    "{name} wants to present at the next all-hands about {area}.",
    "Growth goal check: the course is going slowly but steadily.",
    "{They} asked for more stretch work. Suggested owning {area}.",
    "We revisited {their} development plan; still the right focus.",
)

FEEDBACK_GIVEN = (
    "I told {name} the write-up on {area} was the clearest I have read this quarter.",
    "Gave feedback on the team meeting: {they} could hand over the floor more.",
    "Told {name} that {peer} really valued the help last week.",
    "I suggested sharing drafts earlier instead of polishing alone.",
    "Shared the praise from {peer} about how {they} handled a tense call.",
    "Feedback from me: the status updates could lead with the number.",
    "Pointed out that {name} tends to say yes to everything; practise a polite no.",
    "Thanked {name} for stepping in when {peer} was out.",
)

FOLLOW_UP_DONE = (
    "Follow-up from last time: '{item}' is done.",
    "'{item}' - done, thanks to {name}.",
    "Closed out '{item}' from the previous 1:1.",
    "Last time's action '{item}' got done early.",
)

FOLLOW_UP_OPEN = (
    "Still open from last time: '{item}'.",
    "'{item}' has not happened yet; carried over.",
    "We both forgot '{item}'. Back on the list.",
)

CLOSINGS = (
    "Next week: same time.",
    "Overall a solid week.",
    "Nothing else urgent.",
    "Will check in on this next time.",
    "{name} left with a clear next step.",
    "Good conversation overall.",
    "No concerns from my side.",
    "Keep an eye on this one.",
)

MISSED = (
    "Missed: {name} was pulled into an urgent customer call.",
    "No-show on both sides; calendar clash. Not rescheduled.",
    "Skipped; {name} was out sick.",
    "Missed this one; {mgr} stuck in another meeting.",
)

CANCELLED = (
    "Cancelled: {mgr} at the leadership offsite.",
    "Cancelled for the public holiday.",
    "Cancelled; {name} on holiday this week.",
    "Cancelled by {name}, nothing to discuss this week.",
)

UPDATE_NOTES = {
    "on_track": (
        "Steady progress on {goal}.",
        "Moving as planned.",
        "Good fortnight; on schedule.",
        "Small gains, nothing dramatic.",
        "Ahead of last update.",
    ),
    "done": ("Target reached.", "Hit the number; closing this out.", "Done and verified."),
    "at_risk": (
        "Slower than planned; recovering next sprint.",
        "Behind the line but catchable.",
        "Lost a week to interruptions.",
        "Need a better fortnight to stay on course.",
    ),
    "off_track": (
        "Little movement; blocked.",
        "Not moving; need help to unblock.",
        "Far behind plan.",
        "Flat again this period.",
    ),
    "not_started": ("Not started yet.",),
}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# Headings for notes written as labelled lists, per section.
HEADINGS = {
    "progress": ("Progress", "Goals", "Numbers", "Where things stand"),
    "wins": ("Wins", "Went well", "Highlights"),
    "blockers": ("Blockers", "Stuck on", "Risks"),
    "people": ("Workload", "How it's going", "Team"),
    "growth": ("Growth", "Career", "Development"),
    "other": ("Other", "Also", "Notes"),
    "actions": ("Next", "Actions", "Agreed"),
}
