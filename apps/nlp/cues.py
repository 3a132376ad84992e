"""The cue lexicon: verbs (and a few verb + noun/particle frames) that introduce reported speech.

Three classes, after the usual split in attribution corpora and rule-based extractors (Pareti's PARC,
Newell et al.'s PolNeAR for political news):

- ``SPEECH``: assertives whose content is a clause ("said (that) X", "X, he said").
- ``DIRECTIVE``: may also take ``object + to-infinitive``; the object (addressee) stays in the content
  ("urged countries not to send ...").
- ``COMMISSIVE``: may take a bare ``to-infinitive`` ("threatened to walk away").

Noun or gerund complements ("called for talks", "accused X of Y", "hailed X as Y") are deliberately not
quotes: annotators treat them as borderline at best, and they are the main source of false positives.
"""

from __future__ import annotations

SPEECH = frozenset(
    """
    say tell add note stress emphasize emphasise reiterate point warn insist deny explain argue claim
    state announce declare confirm acknowledge admit assert report write reply respond recall remark
    observe suggest underline underscore highlight reaffirm assure inform predict caution repeat concede
    contend maintain mention complain ask welcome propose promise pledge vow threaten urge demand hint
    indicate tweet answer retort disclose reveal allege estimate forecast recommend request stipulate
    affirm comment lament concur signal express voice call remind order post
    """.split()
)

DIRECTIVE = frozenset(
    "urge ask tell call press encourage advise warn order instruct appeal implore exhort beg request "
    "demand remind".split()
)

COMMISSIVE = frozenset("threaten pledge vow promise propose swear undertake".split())

# Lemmas that are cues only with a particle or preposition: point *out*, call *on/for/upon*.
# "who requested anonymity to speak candidly", "asked for anonymity": the formula of an unnamed source, no speech
ANONYMITY_WORDS = frozenset("anonymity confidentiality".split())

REQUIRED_PARTICLE = {
    "point": frozenset({"out"}),
    "call": frozenset({"for", "on", "upon"}),
}

# "express hope that ...", "voiced concern that ...": the verb is a cue only with one of these objects.
NOUN_FRAMES = {
    "express": frozenset(
        "hope hopes concern concerns confidence belief conviction view views regret satisfaction wish "
        "readiness willingness desire opinion fear fears doubt doubts".split()
    ),
    "voice": frozenset("hope concern concerns confidence belief view regret fear fears doubt doubts".split()),
    # "As one diplomat put it, '...'": the verb is a cue only with the pronoun object
    "put": frozenset({"it"}),
}

# The lookup set; apart from the noun frames, a cue counts only with a clausal or infinitival complement.
ALL_LEMMAS = SPEECH | DIRECTIVE | COMMISSIVE | frozenset(NOUN_FRAMES)

# Addressees of "call on/for X to ...": agents, not things ("called for talks to end the war" is not one).
ADDRESSEE_NOUNS = frozenset(
    """
    country countries nation nations party parties side sides state states government governments
    community leader leaders member members people official officials authority authorities all
    everyone everybody both each world international
    """.split()
)

# Cues that are also used of things ("The move signals that ...", "This underscores that ..."): they report
# speech only when the subject can speak.
WEAK = frozenset(
    "indicate signal suggest reveal predict forecast estimate highlight underline underscore confirm state "
    "mention".split()
)

# Cues whose object is the addressee, not part of what was said ("told Reuters that ...").
ADDRESSEE_CUES = frozenset("tell assure inform remind warn notify brief advise urge ask caution".split())

# Participles that frame an utterance rather than report one: "Speaking at the forum, Xi said ...",
# "Responding to a question, he said ...". A clause headed by one of them is never reported content.
FRAMING_VERBS = frozenset(
    "speak respond reply answer comment address refer talk write ask meet visit attend deliver "
    "brief interview open close wrap conclude chair".split()
)

# "according to X": X must look like a source, not "the plan" or "international law" (see frames.py).
ACCORDING = "according"

# Speech verbs that, coordinated with a reporting verb and sharing its subject, are a second speech act of
# the same source ("said X, and cautioned that Y"), not part of what was said.
STRONG = frozenset(
    """
    say tell add note stress emphasize emphasise reiterate warn insist deny argue claim assert reply
    respond recall remark underline underscore reaffirm assure caution concede contend complain urge
    demand call accuse vow pledge threaten propose promise
    """.split()
)

# Participles that characterise what was said rather than report it ("..., calling the talks
# 'constructive'"): they end a reported content.
# "..., citing the investigation": the journalist glosses the source's reason, which ends the content too.
CHARACTERISING = frozenset("call describe hail label brand praise condemn criticise criticize dismiss cite".split())

# Appositive nouns of a journalist's gloss at the end of a content ("..., a claim X denied").
GLOSS_NOUNS = frozenset(
    "claim allegation accusation charge assertion reference statement remark formulation phrase description "
    "characterisation characterization comment swipe dig jab barb allusion".split()
)

# Nouns of the occasion of a statement: "..., in remarks seen as a swipe at ...", "..., in a joint statement
# issued after the talks" close a reported content (the journalist says where it was said, not what).
OCCASION_NOUNS = frozenset(
    "remarks statement comments interview speech address letter post message briefing declaration communique "
    "communiqué op-ed article video broadcast".split()
)

# Verbs under which a speech verb is only in prospect: "countries were preparing to announce recognition", "plans
# to propose": no statement has been made yet, so the infinitive is no cue.
PROSPECTIVE_HEADS = frozenset("prepare plan intend expect aim schedule".split())

# Verbs of an event that frames a statement in time: "..., as the conference opened at the UN" closes a reported
# content (the journalist says when it was said, not what).
OCCASION_VERBS = frozenset("open begin start close end convene resume unfold adjourn reconvene".split())

# Verbs (and the noun "need") whose quotation-marked fragment is a partial quote of their subject: "called the
# plan 'a dead end'", "accused them of 'bad faith'", "warned of 'chaos'", "stressed the need for 'restraint'".
FRAGMENT_CUES = frozenset(
    """
    call brand describe label term dub accuse warn denounce condemn decry slam blast hail praise stress
    emphasize emphasise urge characterise characterize deride dismiss criticise criticize lambast welcome
    pledge promise vow demand insist express voice speak
    """.split()
)

# Nouns of a statement whose content follows a colon: "Ana Ruiz's message was clear: the talks must go on."
REPORT_NOUNS = frozenset("message warning point argument position view verdict response answer reply stance".split())
