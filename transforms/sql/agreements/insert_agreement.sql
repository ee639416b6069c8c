-- One agreement read back from a returned deck or register (transforms/agreements.py).
insert into staging.agreements (
    agreement_id, meeting_id, course_id, subject, agreed_on, text, owner, follow_up_on,
    indicator, status, source_file, source_sha256, source_row, loaded_at
)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, current_timestamp::timestamp)
