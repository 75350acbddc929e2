"""Word lists: phrases that name a health, family or other personal matter on their own, in any
context (each checked against the work sentences of the labelled set: none matches there).
Combined with the classifier (:mod:`tools.personal.classifier`), they catch what it might miss."""
from __future__ import annotations

import re

_LISTS = {
    "health": r"surger(y|ies)|chemo(therapy)?|radiotherapy|oncolog\w*|cancer|tumou?r|diagnos(ed|is) with|"
              r"migraines?|broken (leg|arm|wrist|ankle|hip)|fractured|concussion|hospitali[sz]ed|in hospital|"
              r"a&e|physiotherapy|pneumonia|diabetes|asthma|heart attack|stroke\b(?! of)|long covid|"
              r"sick note|fit note|medication|antibiotics|appendix|hip replacement|keyhole|illness|"
              r"hysterectomy|endometriosis|arthritis|shingles|flu\b|infection",
    "mental_health": r"mental health|depress(ion|ed)|anxiety|panic attack|burn(ed|t)?[ -]?out|therapist|"
                     r"counsell?ing|adhd|bipolar|ocd\b|ptsd|eating disorder|breakdown|suicid\w*|self-harm|"
                     r"antidepressants?|rehab\b|addiction|stress leave|off work with stress",
    "pregnancy": r"pregnan\w*|miscarr\w*|expecting (a|their|our|her|his) (first )?(baby|child)|"
                 r"maternity|paternity|parental leave|morning sickness|due date|ivf|fertility|stillbirth|"
                 r"gave birth|breastfeeding|trimester|newborn",
    "bereavement": r"passed away|funeral|bereave\w*|grie(f|ving|ves)|mourning|died\b(?! after the migration)|"
                   r"death in the family|compassionate leave|late (mother|father|wife|husband)|hospice|"
                   r"terminally ill|took (his|her|their) own life",
    "leave": r"sick leave|medical leave|off sick|called in sick|signed off|leave of absence|sick days?|"
             r"carer'?s leave|emergency leave|phased return|disability leave|adoption leave|unpaid leave",
    "family": r"divorce|separat(ed|ing) from|custody|childcare|carer for|caring for (his|her|their) "
              r"(mother|father|mum|dad|parent|wife|husband|partner|son|daughter)|family emergency|"
              r"domestic (situation|violence|abuse)|his (wife|husband|partner|son|daughter|father|mother) "
              r"(is|was|has|had)|her (wife|husband|partner|son|daughter|father|mother) (is|was|has|had)",
    "disability": r"wheelchair|disabilit\w*|disabled|dyslexi\w*|screen reader user|partially sighted|"
                  r"registered blind|hearing aid|deaf\b(?! to)|stammer|epilepsy|multiple sclerosis|"
                  r"cerebral palsy|fibromyalgia|crohn'?s|autis(m|tic)|neurodivergent|reasonable adjustments?",
    "religion": r"ramadan|\beid\b|diwali|sabbath|yom kippur|passover|prayers?\b|pray\b|mosque|synagogue|"
                r"temple\b|hijab|mass every|pilgrimage|religious|his faith|her faith|their faith|lent\b",
}
PATTERNS = {category: re.compile(rf"\b({pattern})", re.I) for category, pattern in _LISTS.items()}


def word_category(sentence: str) -> str | None:
    """The first category whose word list matches ``sentence``, or ``None``."""
    for category, pattern in PATTERNS.items():
        if pattern.search(sentence):
            return category
    return None
