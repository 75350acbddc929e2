"""360 feedback texts by kind. Written to the receiver ("you"), self reviews in the first person.

Placeholders: {name} the receiver, {area} an area of their work, {customer}, {peer} a colleague.
"""
from __future__ import annotations

PRAISE = {
    "support": (
        "Your handling of the {customer} escalation was patient and precise; the customer calmed down within one reply.",
        "The macros you wrote save me several minutes per ticket. Thank you.",
        "You stayed late-shift cover during the outage without being asked. It made a real difference.",
        "Your QA notes on my tickets are specific and kind. I have improved because of them.",
    ),
    "sales": (
        "The way you ran the {customer} negotiation kept everyone calm and we still held the price.",
        "Your call notes in the CRM are the best on the team; picking up your accounts was easy.",
        "Thanks for jumping on the {customer} demo at short notice. You nailed the integration questions.",
        "Your objection playbook won me a deal last week.",
    ),
    "engineering": (
        "Your incident write-up was clear and blameless; people outside engineering understood it.",
        "Thanks for unblocking my migration review the same day. Your comments caught a real bug.",
        "The way you broke the queue rewrite into small pull requests made reviewing it painless.",
        "Your work on {area} made on-call noticeably quieter.",
    ),
    "marketing": (
        "The {customer} case study is the strongest piece we published this year.",
        "You turned a messy brief into a launch plan everyone understood.",
        "Your webinar prep made the speakers feel completely at ease.",
        "The subject-line tests you ran changed how the whole team writes emails.",
    ),
}

PEER = (
    "Working with you on {area} was easy: you share drafts early and take comments well.",
    "You are generous with your time. I would like to see you protect some focus time for yourself too.",
    "Reliable and calm under pressure. Sometimes I only hear about problems late, so flag them earlier.",
    "You explain complicated things simply; the team leans on that more than you may realise.",
    "I enjoyed pairing with you on {area}. Your follow-through is excellent.",
    "You bring good questions to planning. In meetings you could speak up sooner; your points usually land.",
    "Great collaborator. Your hand-overs are thorough, which helps the next shift a lot.",
)

CONSTRUCTIVE = (
    "Deadlines on {area} slipped twice without a heads-up; an early warning would help us plan.",
    "Your updates are long; leading with the outcome would make them easier to act on.",
    "In the planning meeting your idea was good, but it arrived after the decision. Share sooner.",
    "You take on too much and then things stall. It is fine to push back.",
    "The hand-over notes on {area} were thin; the next person had to redo the research.",
    "Please close the loop with requesters when something is done; I had to chase twice.",
)

UPWARD = (
    "You make 1:1s feel like my time, not a status meeting. Thank you.",
    "Clear priorities this quarter. I would like more context on decisions made at the leads meeting.",
    "You back the team in front of other departments, and we notice.",
    "Feedback from you is useful but sometimes comes weeks after the event; sooner would help.",
    "I appreciate the flexibility around school pick-ups. It makes a big difference.",
    "The team would benefit from fewer last-minute changes to the plan.",
    "You are good at removing blockers once you know about them.",
)

SELF = (
    "I am proud of my work on {area} this half. I want to get better at saying no to low-value requests.",
    "My main goal is on track. I underestimated how long the documentation would take.",
    "I grew the most by mentoring {peer}. Next half I would like to own something end to end.",
    "This half was uneven: a strong start, a slow summer, and a better autumn.",
    "I delivered what I committed to, but I want to be more visible outside the team.",
)
