-- 0007 → 0008 on a server database: notification channels, profiles, notices and the
-- outbox; a subscription's payer, whom a reminder is for (see versions/0008_notify.py).
CREATE TABLE channel (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	person_id BIGINT NOT NULL, 
	url VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_channel PRIMARY KEY (id), 
	CONSTRAINT uq_channel_person_id_url UNIQUE (person_id, url), 
	CONSTRAINT uq_channel_uid UNIQUE (uid), 
	CONSTRAINT fk_channel_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_channel_person_id ON channel (person_id);
CREATE TABLE notify_profile (
	person_id BIGINT NOT NULL, 
	kinds VARCHAR COLLATE "C" NOT NULL, 
	bands VARCHAR COLLATE "C" NOT NULL, 
	digest VARCHAR COLLATE "C" NOT NULL, 
	quiet_hours VARCHAR COLLATE "C" NOT NULL, 
	last_digest_at VARCHAR(26) COLLATE "C", 
	CONSTRAINT pk_notify_profile PRIMARY KEY (person_id), 
	CONSTRAINT fk_notify_profile_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE notice (
	id BIGSERIAL NOT NULL, 
	person_id BIGINT NOT NULL, 
	key VARCHAR COLLATE "C" NOT NULL, 
	occurrence VARCHAR COLLATE "C" NOT NULL, 
	band VARCHAR COLLATE "C" NOT NULL, 
	round BIGINT NOT NULL, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	title VARCHAR COLLATE "C" NOT NULL, 
	due VARCHAR(26) COLLATE "C" NOT NULL, 
	decided_at VARCHAR(26) COLLATE "C" NOT NULL, 
	held SMALLINT NOT NULL, 
	CONSTRAINT pk_notice PRIMARY KEY (id), 
	CONSTRAINT uq_notice_person_id_key_occurrence_band_round UNIQUE (person_id, key, occurrence, band, round), 
	CONSTRAINT fk_notice_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_notice_decided_at ON notice (decided_at);
CREATE INDEX ix_notice_held ON notice (held);
CREATE INDEX ix_notice_person_id ON notice (person_id);
CREATE TABLE outbox (
	id BIGSERIAL NOT NULL, 
	person_id BIGINT NOT NULL, 
	channel_id BIGINT NOT NULL, 
	title VARCHAR COLLATE "C" NOT NULL, 
	body VARCHAR COLLATE "C" NOT NULL, 
	digest SMALLINT NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	state VARCHAR COLLATE "C" NOT NULL, 
	attempts BIGINT NOT NULL, 
	next_try_at VARCHAR(26) COLLATE "C", 
	tried_at VARCHAR(26) COLLATE "C", 
	delivered_at VARCHAR(26) COLLATE "C", 
	error VARCHAR COLLATE "C", 
	CONSTRAINT pk_outbox PRIMARY KEY (id), 
	CONSTRAINT fk_outbox_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_outbox_channel_id_channel FOREIGN KEY(channel_id) REFERENCES channel (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_outbox_channel_id ON outbox (channel_id);
CREATE INDEX ix_outbox_next_try_at ON outbox (next_try_at);
CREATE INDEX ix_outbox_person_id ON outbox (person_id);
CREATE INDEX ix_outbox_state ON outbox (state);
ALTER TABLE subscription ADD COLUMN payer_id BIGINT;
ALTER TABLE subscription ADD CONSTRAINT fk_subscription_payer_id_person FOREIGN KEY(payer_id) REFERENCES person (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE;
CREATE INDEX ix_subscription_payer_id ON subscription (payer_id);
ALTER TABLE reminder ADD COLUMN person_id BIGINT;
ALTER TABLE reminder ADD CONSTRAINT fk_reminder_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE;
CREATE INDEX ix_reminder_person_id ON reminder (person_id);
ALTER TABLE channel ENABLE ROW LEVEL SECURITY;
CREATE POLICY channel_of_its_person ON channel USING (person_id IN (SELECT id FROM person WHERE login = current_user) OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = current_database() || '_admin' AND pg_has_role(current_user, r.oid, 'MEMBER')));
