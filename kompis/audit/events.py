"""Every kind of audit event, as one enum (Zulip's audit-log event types are the model).

An event holds this code, the actor, the object's type and id, and a small `data` dict of ids, counts, roles
and coded reasons (checked by `kompis.audit.services.check_data`): never names, addresses or free text. The
sentence a person reads is written when the log is shown (`kompis.audit.sentences`, registered per app).
A new state change adds its code here; the test `tests/audit/test_event_types.py` checks that every code
has a sentence and every sentence a code.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    # admin
    ADMIN_ADDED = "admin.added"
    ADMIN_CHANGED = "admin.changed"
    ADMIN_DELETED = "admin.deleted"
    # demo
    DEMO_CREATED = "demo.created"
    # events (a person's registration is their participation in an event)
    EVENT_CREATED = "event.created"
    EVENT_REGISTERED = "event.registered"
    EVENT_REGISTRATION_CANCELLED = "event.registration_cancelled"
    EVENT_ATTENDANCE_MARKED = "event.attendance_marked"
    EVENT_CALENDAR_FEED_ISSUED = "event.calendar_feed_issued"
    EVENT_CALENDAR_FEED_REVOKED = "event.calendar_feed_revoked"
    EVENT_WAITING_LISTED = "event.waiting_listed"
    EVENT_MOVED_UP = "event.moved_up"
    EVENT_CANCELLED = "event.cancelled"
    EVENT_MOVED = "event.moved"
    EVENT_SERIES_CREATED = "event.series_created"
    # followup
    FOLLOWUP_ANSWERED = "followup.answered"
    FOLLOWUP_ASKED = "followup.asked"
    FOLLOWUP_COMMENTED = "followup.commented"
    FOLLOWUP_INTRODUCED = "followup.introduced"
    FOLLOWUP_MATCH_ENDED = "followup.match_ended"
    # matching
    MATCHING_EXCLUSION_ADDED = "matching.exclusion_added"
    MATCHING_EXCLUSION_REMOVED = "matching.exclusion_removed"
    MATCHING_MATCH_APPROVED = "matching.match_approved"
    MATCHING_PARTNER_CHOSEN = "matching.partner_chosen"
    MATCHING_PROPOSAL_REJECTED = "matching.proposal_rejected"
    MATCHING_RUN = "matching.run"
    MATCHING_RUN_FAILED = "matching.run_failed"
    MATCHING_RUN_QUEUED = "matching.run_queued"
    MATCHING_RUN_REQUEUED = "matching.run_requeued"
    MATCHING_SETTINGS_UPDATED = "matching.settings_updated"
    # organisation
    ORGANISATION_CREATED = "organisation.created"
    ORGANISATION_FIRST_RUN_LINK_ISSUED = "organisation.first_run_link_issued"
    ORGANISATION_LOGO_CHANGED = "organisation.logo_changed"
    ORGANISATION_LOGO_REMOVED = "organisation.logo_removed"
    ORGANISATION_SETTINGS_CHANGED = "organisation.settings_changed"
    # outbox
    OUTBOX_RESENT = "outbox.resent"
    # participant
    PARTICIPANT_ADDED_BY_STAFF = "participant.added_by_staff"
    PARTICIPANT_BACK_TO_POOL = "participant.back_to_pool"
    PARTICIPANT_CONFIRMED_EMAIL = "participant.confirmed_email"
    PARTICIPANT_EMAIL_BOUNCING = "participant.email_bouncing"
    PARTICIPANT_EXPIRED_UNCONFIRMED = "participant.expired_unconfirmed"
    PARTICIPANT_IMPORTED = "participant.imported"
    PARTICIPANT_LEFT_FRIEND_MATCHING = "participant.left_friend_matching"
    PARTICIPANT_MATCHED = "participant.matched"
    PARTICIPANT_MERGED = "participant.merged"
    PARTICIPANT_NOTE_ADDED = "participant.note_added"
    PARTICIPANT_PAUSE_ENDED = "participant.pause_ended"
    PARTICIPANT_PAUSED = "participant.paused"
    PARTICIPANT_REJOIN_EXPIRED = "participant.rejoin_expired"
    PARTICIPANT_REJOINED = "participant.rejoined"
    PARTICIPANT_RESUMED = "participant.resumed"
    PARTICIPANT_SIGNED_UP = "participant.signed_up"
    PARTICIPANT_UNSUBSCRIBED = "participant.unsubscribed"
    PARTICIPANT_UPDATED = "participant.updated"
    PARTICIPANT_WITHDRAWN = "participant.withdrawn"
    # participants
    PARTICIPANTS_EXPORTED = "participants.exported"
    PARTICIPANTS_IMPORTED = "participants.imported"
    # programmes (mentor programmes: cohorts and enrolments)
    PROGRAMME_COHORT_CREATED = "programme.cohort_created"
    PROGRAMME_COMPLETED = "programme.completed"
    PROGRAMME_CREATED = "programme.created"
    PROGRAMME_DROPPED_OUT = "programme.dropped_out"
    PROGRAMME_ENROLLED = "programme.enrolled"
    PROGRAMME_MOVED_UP = "programme.moved_up"
    PROGRAMME_PUBLIC_ENROLMENT_CHANGED = "programme.public_enrolment_changed"
    PROGRAMME_PAIRS_PROPOSED = "programme.pairs_proposed"
    PROGRAMME_PAIR_APPROVED = "programme.pair_approved"
    PROGRAMME_PAIR_REJECTED = "programme.pair_rejected"
    PROGRAMME_PAIR_CHOSEN = "programme.pair_chosen"
    PROGRAMME_PAIR_ENDED = "programme.pair_ended"
    PROGRAMME_PAIRING_RULES_CHANGED = "programme.pairing_rules_changed"
    PROGRAMME_SESSION_CREATED = "programme.session_created"
    PROGRAMME_SESSION_INVITED = "programme.session_invited"
    PROGRAMME_COMPLETION_RULE_APPLIED = "programme.completion_rule_applied"
    PROGRAMME_MEETING_LOGGED = "programme.meeting_logged"
    # project
    PROJECT_CHANGED = "project.changed"
    PROJECT_CREATED = "project.created"
    # region
    REGION_CHANGED = "region.changed"
    REGION_CREATED = "region.created"
    # reports
    REPORTS_INDICATOR_ADDED = "reports.indicator_added"
    REPORTS_INDICATOR_DELETED = "reports.indicator_deleted"
    REPORTS_STEP_ADDED = "reports.step_added"
    REPORTS_STEP_DELETED = "reports.step_deleted"
    # surveys: the builder (issue #14)
    SURVEY_CREATED = "survey.created"
    SURVEY_CHANGED = "survey.changed"
    SURVEY_IMPORTED = "survey.imported"
    SURVEY_QUESTION_ADDED = "survey.question_added"
    SURVEY_QUESTION_CHANGED = "survey.question_changed"
    SURVEY_QUESTION_MOVED = "survey.question_moved"
    SURVEY_QUESTION_DELETED = "survey.question_deleted"
    SURVEY_OPENED = "survey.opened"
    SURVEY_CLOSED = "survey.closed"
    SURVEY_BANK_QUESTION_ADDED = "survey.bank_question_added"
    SURVEY_RESPONSE_SUBMITTED = "survey.response_submitted"
    SURVEY_ANONYMOUS_BATCH_WRITTEN = "survey.anonymous_batch_written"
    # surveys: waves and invitations (issue #14)
    SURVEY_WAVE_CREATED = "survey.wave_created"
    SURVEY_WAVE_SENT = "survey.wave_sent"
    SURVEY_WAVE_REMINDED = "survey.wave_reminded"
    SURVEY_WAVE_NO_ANSWER_TASKS = "survey.wave_no_answer_tasks"
    SURVEY_WAVE_CLOSED = "survey.wave_closed"
    # surveys: results (issue #14)
    SURVEY_RESULTS_EXPORTED = "survey.results_exported"
    # surveys: in-depth interviews (issue #14)
    INTERVIEW_SAMPLE_DRAWN = "interview.sample_drawn"
    INTERVIEW_NOTE_ADDED = "interview.note_added"
    INTERVIEW_THEME_ADDED = "interview.theme_added"
    # staff
    STAFF_CHANGED = "staff.changed"
    STAFF_DEACTIVATED = "staff.deactivated"
    STAFF_INVITATION_ACCEPTED = "staff.invitation_accepted"
    STAFF_INVITATION_RESENT = "staff.invitation_resent"
    STAFF_INVITED = "staff.invited"
    STAFF_PASSWORD_RESET = "staff.password_reset"
    STAFF_PASSWORD_RESET_REQUESTED = "staff.password_reset_requested"
    STAFF_REACTIVATED = "staff.reactivated"
    # worklist (staff tasks; "followup.task_*" events were renamed by worklist's migration 0002)
    WORKLIST_TASK_ASSIGNED = "worklist.task_assigned"
    WORKLIST_TASK_CREATED = "worklist.task_created"
    WORKLIST_TASK_RESOLVED = "worklist.task_resolved"
