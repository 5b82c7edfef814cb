-- revision 0010
-- The schema of a blank stuffctl server database (see store/postgres.py).
-- Written by `python -m stuffctl.store.generate`; do not edit.
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
CREATE TABLE budget (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	category VARCHAR COLLATE "C" NOT NULL, 
	period VARCHAR COLLATE "C" NOT NULL, 
	amount_minor BIGINT NOT NULL, 
	currency VARCHAR(3) COLLATE "C" NOT NULL, 
	CONSTRAINT pk_budget PRIMARY KEY (id), 
	CONSTRAINT uq_budget_uid UNIQUE (uid)
);
CREATE UNIQUE INDEX ix_budget_category ON budget (category);
CREATE TABLE category (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	name VARCHAR COLLATE "C" NOT NULL, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_category PRIMARY KEY (id), 
	CONSTRAINT uq_category_uid UNIQUE (uid), 
	CONSTRAINT uq_category_name UNIQUE (name)
);
CREATE TABLE change (
	id BIGSERIAL NOT NULL, 
	table_name VARCHAR COLLATE "C" NOT NULL, 
	row_id BIGINT NOT NULL, 
	field VARCHAR COLLATE "C" NOT NULL, 
	changed_by VARCHAR COLLATE "C", 
	changed_at VARCHAR(26) COLLATE "C" NOT NULL, 
	CONSTRAINT pk_change PRIMARY KEY (id)
);
CREATE INDEX ix_change_table_name_row_id_id ON change (table_name, row_id, id);
CREATE TABLE goal (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	metric VARCHAR COLLATE "C" NOT NULL, 
	op VARCHAR(2) COLLATE "C" NOT NULL, 
	target VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_goal PRIMARY KEY (id), 
	CONSTRAINT uq_goal_uid UNIQUE (uid)
);
CREATE UNIQUE INDEX ix_goal_metric ON goal (metric);
CREATE TABLE meta (
	key VARCHAR COLLATE "C" NOT NULL, 
	value VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_meta PRIMARY KEY (key)
);
CREATE TABLE notification (
	id BIGSERIAL NOT NULL, 
	key VARCHAR COLLATE "C" NOT NULL, 
	occurrence VARCHAR COLLATE "C" NOT NULL, 
	band VARCHAR COLLATE "C" NOT NULL, 
	round BIGINT NOT NULL, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	title VARCHAR COLLATE "C" NOT NULL, 
	due VARCHAR(26) COLLATE "C" NOT NULL, 
	notified_at VARCHAR(26) COLLATE "C" NOT NULL, 
	CONSTRAINT pk_notification PRIMARY KEY (id), 
	CONSTRAINT uq_notification_key_occurrence_band_round UNIQUE (key, occurrence, band, round)
);
CREATE INDEX ix_notification_due ON notification (due);
CREATE INDEX ix_notification_notified_at ON notification (notified_at);
CREATE TABLE occurrence (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	key VARCHAR COLLATE "C" NOT NULL, 
	occurrence VARCHAR COLLATE "C" NOT NULL, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	title VARCHAR COLLATE "C" NOT NULL, 
	due VARCHAR(26) COLLATE "C" NOT NULL, 
	all_day SMALLINT NOT NULL, 
	state VARCHAR COLLATE "C" NOT NULL, 
	acted_on VARCHAR(10) COLLATE "C", 
	missed BIGINT NOT NULL, 
	snoozed_until VARCHAR(26) COLLATE "C", 
	snoozes BIGINT NOT NULL, 
	CONSTRAINT pk_occurrence PRIMARY KEY (id), 
	CONSTRAINT uq_occurrence_key_occurrence UNIQUE (key, occurrence), 
	CONSTRAINT uq_occurrence_uid UNIQUE (uid)
);
CREATE INDEX ix_occurrence_due ON occurrence (due);
CREATE INDEX ix_occurrence_key ON occurrence (key);
CREATE INDEX ix_occurrence_state ON occurrence (state);
CREATE TABLE person (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	name VARCHAR COLLATE "C" NOT NULL, 
	email VARCHAR COLLATE "C", 
	phone VARCHAR COLLATE "C", 
	notes VARCHAR COLLATE "C", 
	login VARCHAR COLLATE "C", 
	CONSTRAINT pk_person PRIMARY KEY (id), 
	CONSTRAINT uq_person_uid UNIQUE (uid)
);
CREATE UNIQUE INDEX ix_person_login ON person (login);
CREATE INDEX ix_person_name ON person (name);
CREATE TABLE project (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	name VARCHAR COLLATE "C" NOT NULL, 
	outcome VARCHAR COLLATE "C", 
	status VARCHAR COLLATE "C" NOT NULL, 
	start_on VARCHAR(10) COLLATE "C", 
	due_on VARCHAR(10) COLLATE "C", 
	budget_minor BIGINT, 
	budget_currency VARCHAR(3) COLLATE "C", 
	done_on VARCHAR(10) COLLATE "C", 
	notes VARCHAR COLLATE "C", 
	CONSTRAINT pk_project PRIMARY KEY (id), 
	CONSTRAINT uq_project_uid UNIQUE (uid)
);
CREATE INDEX ix_project_due_on ON project (due_on);
CREATE INDEX ix_project_name ON project (name);
CREATE INDEX ix_project_status ON project (status);
CREATE TABLE undo_now (
	step_id BIGSERIAL NOT NULL, 
	CONSTRAINT pk_undo_now PRIMARY KEY (step_id)
);
CREATE TABLE undo_step (
	id BIGSERIAL NOT NULL, 
	command VARCHAR COLLATE "C" NOT NULL, 
	ran_at VARCHAR(26) COLLATE "C" NOT NULL, 
	ran_by VARCHAR COLLATE "C", 
	undone_at VARCHAR(26) COLLATE "C", 
	CONSTRAINT pk_undo_step PRIMARY KEY (id)
);
CREATE TABLE asset (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	name VARCHAR COLLATE "C" NOT NULL, 
	category VARCHAR COLLATE "C", 
	location VARCHAR COLLATE "C", 
	brand VARCHAR COLLATE "C", 
	model VARCHAR COLLATE "C", 
	serial VARCHAR COLLATE "C", 
	purchased_on VARCHAR(10) COLLATE "C", 
	price_minor BIGINT, 
	price_currency VARCHAR(3) COLLATE "C", 
	vendor VARCHAR COLLATE "C", 
	warranty_until VARCHAR(10) COLLATE "C", 
	life_months BIGINT, 
	status VARCHAR COLLATE "C" NOT NULL, 
	parent_id BIGINT, 
	retired_on VARCHAR(10) COLLATE "C", 
	sold_minor BIGINT, 
	sold_currency VARCHAR(3) COLLATE "C", 
	notes VARCHAR COLLATE "C", 
	owner_id BIGINT, 
	last_seen_on VARCHAR(10) COLLATE "C", 
	last_seen_at VARCHAR COLLATE "C", 
	url VARCHAR COLLATE "C", 
	CONSTRAINT pk_asset PRIMARY KEY (id), 
	CONSTRAINT uq_asset_uid UNIQUE (uid), 
	CONSTRAINT fk_asset_parent_id_asset FOREIGN KEY(parent_id) REFERENCES asset (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_asset_owner_id_person FOREIGN KEY(owner_id) REFERENCES person (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_asset_category ON asset (category);
CREATE INDEX ix_asset_created_at ON asset (created_at);
CREATE INDEX ix_asset_last_seen_on ON asset (last_seen_on);
CREATE INDEX ix_asset_location ON asset (location);
CREATE INDEX ix_asset_name ON asset (name);
CREATE INDEX ix_asset_owner_id ON asset (owner_id);
CREATE INDEX ix_asset_parent_id ON asset (parent_id);
CREATE INDEX ix_asset_purchased_on ON asset (purchased_on);
CREATE INDEX ix_asset_status ON asset (status);
CREATE INDEX ix_asset_updated_at ON asset (updated_at);
CREATE INDEX ix_asset_warranty_until ON asset (warranty_until);
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
CREATE TABLE project_tag (
	project_id BIGINT NOT NULL, 
	tag VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_project_tag PRIMARY KEY (project_id, tag), 
	CONSTRAINT fk_project_tag_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_project_tag_tag ON project_tag (tag);
CREATE TABLE reminder (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	title VARCHAR COLLATE "C" NOT NULL, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	about_kind VARCHAR COLLATE "C", 
	about_id BIGINT, 
	start_on VARCHAR(10) COLLATE "C" NOT NULL, 
	due_on VARCHAR(10) COLLATE "C" NOT NULL, 
	due_time VARCHAR(15) COLLATE "C", 
	rule VARCHAR COLLATE "C", 
	from_done SMALLINT NOT NULL, 
	lead VARCHAR COLLATE "C", 
	snoozed_until VARCHAR(26) COLLATE "C", 
	state VARCHAR COLLATE "C" NOT NULL, 
	notes VARCHAR COLLATE "C", 
	person_id BIGINT, 
	CONSTRAINT pk_reminder PRIMARY KEY (id), 
	CONSTRAINT uq_reminder_uid UNIQUE (uid), 
	CONSTRAINT fk_reminder_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_reminder_due_on ON reminder (due_on);
CREATE INDEX ix_reminder_kind ON reminder (kind);
CREATE INDEX ix_reminder_person_id ON reminder (person_id);
CREATE INDEX ix_reminder_state ON reminder (state);
CREATE TABLE task (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	project_id BIGINT NOT NULL, 
	title VARCHAR COLLATE "C" NOT NULL, 
	status VARCHAR COLLATE "C" NOT NULL, 
	priority VARCHAR(1) COLLATE "C", 
	due_on VARCHAR(10) COLLATE "C", 
	done_at VARCHAR(26) COLLATE "C", 
	notes VARCHAR COLLATE "C", 
	assignee_id BIGINT, 
	CONSTRAINT pk_task PRIMARY KEY (id), 
	CONSTRAINT uq_task_uid UNIQUE (uid), 
	CONSTRAINT fk_task_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_task_assignee_id_person FOREIGN KEY(assignee_id) REFERENCES person (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_task_assignee_id ON task (assignee_id);
CREATE INDEX ix_task_done_at ON task (done_at);
CREATE INDEX ix_task_due_on ON task (due_on);
CREATE INDEX ix_task_project_id ON task (project_id);
CREATE INDEX ix_task_status ON task (status);
CREATE TABLE undo_row (
	id BIGSERIAL NOT NULL, 
	step_id BIGINT NOT NULL, 
	table_name VARCHAR COLLATE "C" NOT NULL, 
	op VARCHAR(1) COLLATE "C" NOT NULL, 
	key VARCHAR COLLATE "C" NOT NULL, 
	before VARCHAR COLLATE "C", 
	CONSTRAINT pk_undo_row PRIMARY KEY (id), 
	CONSTRAINT fk_undo_row_step_id_undo_step FOREIGN KEY(step_id) REFERENCES undo_step (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_undo_row_step_id ON undo_row (step_id);
CREATE TABLE asset_field (
	asset_id BIGINT NOT NULL, 
	key VARCHAR COLLATE "C" NOT NULL, 
	value VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_asset_field PRIMARY KEY (asset_id, key), 
	CONSTRAINT fk_asset_field_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE asset_tag (
	asset_id BIGINT NOT NULL, 
	tag VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_asset_tag PRIMARY KEY (asset_id, tag), 
	CONSTRAINT fk_asset_tag_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_asset_tag_tag ON asset_tag (tag);
CREATE TABLE incident (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	asset_id BIGINT NOT NULL, 
	symptom VARCHAR COLLATE "C" NOT NULL, 
	started_on VARCHAR(10) COLLATE "C" NOT NULL, 
	status VARCHAR COLLATE "C" NOT NULL, 
	closed_on VARCHAR(10) COLLATE "C", 
	cause VARCHAR COLLATE "C", 
	fix VARCHAR COLLATE "C", 
	notes VARCHAR COLLATE "C", 
	out_of_use SMALLINT NOT NULL, 
	downtime_days BIGINT, 
	CONSTRAINT pk_incident PRIMARY KEY (id), 
	CONSTRAINT uq_incident_uid UNIQUE (uid), 
	CONSTRAINT fk_incident_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_incident_asset_id ON incident (asset_id);
CREATE INDEX ix_incident_started_on ON incident (started_on);
CREATE INDEX ix_incident_status ON incident (status);
CREATE TABLE loan (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	asset_id BIGINT NOT NULL, 
	person_id BIGINT NOT NULL, 
	direction VARCHAR(3) COLLATE "C" NOT NULL, 
	since VARCHAR(10) COLLATE "C" NOT NULL, 
	due_on VARCHAR(10) COLLATE "C", 
	returned_on VARCHAR(10) COLLATE "C", 
	notes VARCHAR COLLATE "C", 
	CONSTRAINT pk_loan PRIMARY KEY (id), 
	CONSTRAINT uq_loan_uid UNIQUE (uid), 
	CONSTRAINT fk_loan_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_loan_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_loan_asset_id ON loan (asset_id);
CREATE INDEX ix_loan_direction ON loan (direction);
CREATE INDEX ix_loan_due_on ON loan (due_on);
CREATE INDEX ix_loan_person_id ON loan (person_id);
CREATE INDEX ix_loan_returned_on ON loan (returned_on);
CREATE INDEX ix_loan_since ON loan (since);
CREATE TABLE maintenance_schedule (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	asset_id BIGINT NOT NULL, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	rule VARCHAR COLLATE "C", 
	every_amount DOUBLE PRECISION, 
	every_unit VARCHAR COLLATE "C", 
	lead VARCHAR COLLATE "C", 
	CONSTRAINT pk_maintenance_schedule PRIMARY KEY (id), 
	CONSTRAINT uq_maintenance_schedule_uid UNIQUE (uid), 
	CONSTRAINT fk_maintenance_schedule_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_maintenance_schedule_asset_id ON maintenance_schedule (asset_id);
CREATE TABLE meter_reading (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	asset_id BIGINT NOT NULL, 
	value DOUBLE PRECISION NOT NULL, 
	unit VARCHAR COLLATE "C" NOT NULL, 
	taken_on VARCHAR(10) COLLATE "C" NOT NULL, 
	CONSTRAINT pk_meter_reading PRIMARY KEY (id), 
	CONSTRAINT uq_meter_reading_uid UNIQUE (uid), 
	CONSTRAINT fk_meter_reading_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_meter_reading_asset_id ON meter_reading (asset_id);
CREATE INDEX ix_meter_reading_taken_on ON meter_reading (taken_on);
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
CREATE TABLE project_asset (
	project_id BIGINT NOT NULL, 
	asset_id BIGINT NOT NULL, 
	CONSTRAINT pk_project_asset PRIMARY KEY (project_id, asset_id), 
	CONSTRAINT fk_project_asset_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_project_asset_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_project_asset_asset_id ON project_asset (asset_id);
CREATE TABLE stock_item (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	name VARCHAR COLLATE "C" NOT NULL, 
	unit VARCHAR COLLATE "C", 
	quantity_milli BIGINT NOT NULL, 
	reorder_milli BIGINT, 
	buy_milli BIGINT, 
	lead_days BIGINT, 
	asset_id BIGINT, 
	category VARCHAR COLLATE "C", 
	vendor VARCHAR COLLATE "C", 
	notes VARCHAR COLLATE "C", 
	CONSTRAINT pk_stock_item PRIMARY KEY (id), 
	CONSTRAINT uq_stock_item_uid UNIQUE (uid), 
	CONSTRAINT fk_stock_item_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_stock_item_asset_id ON stock_item (asset_id);
CREATE INDEX ix_stock_item_name ON stock_item (name);
CREATE TABLE subscription (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	name VARCHAR COLLATE "C" NOT NULL, 
	amount_minor BIGINT NOT NULL, 
	currency VARCHAR(3) COLLATE "C" NOT NULL, 
	rule VARCHAR COLLATE "C" NOT NULL, 
	anchor_on VARCHAR(10) COLLATE "C" NOT NULL, 
	next_on VARCHAR(10) COLLATE "C" NOT NULL, 
	category VARCHAR COLLATE "C", 
	account VARCHAR COLLATE "C", 
	asset_id BIGINT, 
	cancel_by VARCHAR(10) COLLATE "C", 
	status VARCHAR COLLATE "C" NOT NULL, 
	cancelled_on VARCHAR(10) COLLATE "C", 
	notes VARCHAR COLLATE "C", 
	payer_id BIGINT, 
	CONSTRAINT pk_subscription PRIMARY KEY (id), 
	CONSTRAINT uq_subscription_uid UNIQUE (uid), 
	CONSTRAINT fk_subscription_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_subscription_payer_id_person FOREIGN KEY(payer_id) REFERENCES person (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_subscription_asset_id ON subscription (asset_id);
CREATE INDEX ix_subscription_cancel_by ON subscription (cancel_by);
CREATE INDEX ix_subscription_name ON subscription (name);
CREATE INDEX ix_subscription_next_on ON subscription (next_on);
CREATE INDEX ix_subscription_payer_id ON subscription (payer_id);
CREATE INDEX ix_subscription_status ON subscription (status);
CREATE TABLE task_dep (
	task_id BIGINT NOT NULL, 
	depends_on_id BIGINT NOT NULL, 
	CONSTRAINT pk_task_dep PRIMARY KEY (task_id, depends_on_id), 
	CONSTRAINT fk_task_dep_task_id_task FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_task_dep_depends_on_id_task FOREIGN KEY(depends_on_id) REFERENCES task (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_task_dep_depends_on_id ON task_dep (depends_on_id);
CREATE TABLE task_tag (
	task_id BIGINT NOT NULL, 
	tag VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_task_tag PRIMARY KEY (task_id, tag), 
	CONSTRAINT fk_task_tag_task_id_task FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_task_tag_tag ON task_tag (tag);
CREATE TABLE attachment (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	asset_id BIGINT NOT NULL, 
	filename VARCHAR COLLATE "C" NOT NULL, 
	sha256 VARCHAR(64) COLLATE "C" NOT NULL, 
	size BIGINT NOT NULL, 
	incident_id BIGINT, 
	CONSTRAINT pk_attachment PRIMARY KEY (id), 
	CONSTRAINT uq_attachment_uid UNIQUE (uid), 
	CONSTRAINT fk_attachment_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_attachment_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_attachment_asset_id ON attachment (asset_id);
CREATE INDEX ix_attachment_incident_id ON attachment (incident_id);
CREATE INDEX ix_attachment_sha256 ON attachment (sha256);
CREATE TABLE incident_step (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	incident_id BIGINT NOT NULL, 
	occurred_on VARCHAR(10) COLLATE "C" NOT NULL, 
	notes VARCHAR COLLATE "C" NOT NULL, 
	helped SMALLINT, 
	CONSTRAINT pk_incident_step PRIMARY KEY (id), 
	CONSTRAINT uq_incident_step_uid UNIQUE (uid), 
	CONSTRAINT fk_incident_step_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_incident_step_incident_id ON incident_step (incident_id);
CREATE TABLE link (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	asset_id BIGINT, 
	incident_id BIGINT, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	url VARCHAR COLLATE "C" NOT NULL, 
	title VARCHAR COLLATE "C", 
	CONSTRAINT pk_link PRIMARY KEY (id), 
	CONSTRAINT uq_link_uid UNIQUE (uid), 
	CONSTRAINT fk_link_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_link_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_link_asset_id ON link (asset_id);
CREATE INDEX ix_link_incident_id ON link (incident_id);
CREATE INDEX ix_link_kind ON link (kind);
CREATE TABLE playbook (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	brand VARCHAR COLLATE "C", 
	model VARCHAR COLLATE "C", 
	category VARCHAR COLLATE "C", 
	symptom VARCHAR COLLATE "C" NOT NULL, 
	cause VARCHAR COLLATE "C", 
	fix VARCHAR COLLATE "C" NOT NULL, 
	steps VARCHAR COLLATE "C", 
	incident_id BIGINT, 
	origin VARCHAR COLLATE "C", 
	CONSTRAINT pk_playbook PRIMARY KEY (id), 
	CONSTRAINT uq_playbook_uid UNIQUE (uid), 
	CONSTRAINT fk_playbook_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_playbook_category ON playbook (category);
CREATE INDEX ix_playbook_incident_id ON playbook (incident_id);
CREATE TABLE txn (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	occurred_on VARCHAR(10) COLLATE "C" NOT NULL, 
	amount_minor BIGINT NOT NULL, 
	currency VARCHAR(3) COLLATE "C" NOT NULL, 
	payee VARCHAR COLLATE "C", 
	category VARCHAR COLLATE "C", 
	account VARCHAR COLLATE "C", 
	memo VARCHAR COLLATE "C", 
	asset_id BIGINT, 
	project_id BIGINT, 
	subscription_id BIGINT, 
	fingerprint VARCHAR COLLATE "C", 
	import_line BIGINT, 
	CONSTRAINT pk_txn PRIMARY KEY (id), 
	CONSTRAINT uq_txn_uid UNIQUE (uid), 
	CONSTRAINT fk_txn_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_txn_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_txn_subscription_id_subscription FOREIGN KEY(subscription_id) REFERENCES subscription (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_txn_asset_id ON txn (asset_id);
CREATE INDEX ix_txn_category ON txn (category);
CREATE INDEX ix_txn_created_at ON txn (created_at);
CREATE UNIQUE INDEX ix_txn_fingerprint ON txn (fingerprint);
CREATE INDEX ix_txn_project_id ON txn (project_id);
CREATE INDEX ix_txn_spend ON txn (occurred_on, category, currency, amount_minor);
CREATE INDEX ix_txn_subscription_id ON txn (subscription_id);
CREATE TABLE event (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	asset_id BIGINT NOT NULL, 
	occurred_on VARCHAR(10) COLLATE "C" NOT NULL, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	notes VARCHAR COLLATE "C", 
	meter DOUBLE PRECISION, 
	meter_unit VARCHAR COLLATE "C", 
	txn_id BIGINT, 
	CONSTRAINT pk_event PRIMARY KEY (id), 
	CONSTRAINT uq_event_uid UNIQUE (uid), 
	CONSTRAINT fk_event_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_event_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_event_asset_id ON event (asset_id);
CREATE INDEX ix_event_created_at ON event (created_at);
CREATE INDEX ix_event_kind ON event (kind);
CREATE INDEX ix_event_occurred_on ON event (occurred_on);
CREATE TABLE incident_txn (
	incident_id BIGINT NOT NULL, 
	txn_id BIGINT NOT NULL, 
	CONSTRAINT pk_incident_txn PRIMARY KEY (incident_id, txn_id), 
	CONSTRAINT fk_incident_txn_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_incident_txn_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_incident_txn_txn_id ON incident_txn (txn_id);
CREATE TABLE stock_move (
	id BIGSERIAL NOT NULL, 
	uid VARCHAR(36) COLLATE "C" NOT NULL, 
	created_at VARCHAR(26) COLLATE "C" NOT NULL, 
	updated_at VARCHAR(26) COLLATE "C" NOT NULL, 
	created_by VARCHAR COLLATE "C", 
	updated_by VARCHAR COLLATE "C", 
	item_id BIGINT NOT NULL, 
	occurred_on VARCHAR(10) COLLATE "C" NOT NULL, 
	kind VARCHAR COLLATE "C" NOT NULL, 
	delta_milli BIGINT NOT NULL, 
	txn_id BIGINT, 
	notes VARCHAR COLLATE "C", 
	CONSTRAINT pk_stock_move PRIMARY KEY (id), 
	CONSTRAINT uq_stock_move_uid UNIQUE (uid), 
	CONSTRAINT fk_stock_move_item_id_stock_item FOREIGN KEY(item_id) REFERENCES stock_item (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_stock_move_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_stock_move_item_id ON stock_move (item_id);
CREATE INDEX ix_stock_move_occurred_on ON stock_move (occurred_on);
CREATE INDEX ix_stock_move_txn_id ON stock_move (txn_id);
CREATE TABLE subscription_charge (
	id BIGSERIAL NOT NULL, 
	subscription_id BIGINT NOT NULL, 
	due_on VARCHAR(10) COLLATE "C" NOT NULL, 
	paid_on VARCHAR(10) COLLATE "C", 
	amount_minor BIGINT NOT NULL, 
	currency VARCHAR(3) COLLATE "C" NOT NULL, 
	estimated SMALLINT NOT NULL, 
	txn_id BIGINT, 
	CONSTRAINT pk_subscription_charge PRIMARY KEY (id), 
	CONSTRAINT uq_subscription_charge_subscription_id_due_on UNIQUE (subscription_id, due_on), 
	CONSTRAINT fk_subscription_charge_subscription_id_subscription FOREIGN KEY(subscription_id) REFERENCES subscription (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE, 
	CONSTRAINT fk_subscription_charge_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_subscription_charge_subscription_id ON subscription_charge (subscription_id);
CREATE TABLE txn_tag (
	txn_id BIGINT NOT NULL, 
	tag VARCHAR COLLATE "C" NOT NULL, 
	CONSTRAINT pk_txn_tag PRIMARY KEY (txn_id, tag), 
	CONSTRAINT fk_txn_tag_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX ix_txn_tag_tag ON txn_tag (tag);
CREATE INDEX fts_asset ON asset USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(name, '') || ' ' || coalesce(location, '') || ' ' || coalesce(brand, '') || ' ' || coalesce(model, '') || ' ' || coalesce(serial, '') || ' ' || coalesce(notes, '') || ' ' || coalesce(url, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_asset_field ON asset_field USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(key, '') || ' ' || coalesce(value, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_event ON event USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(kind, '') || ' ' || coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_txn ON txn USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(payee, '') || ' ' || coalesce(category, '') || ' ' || coalesce(memo, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_person ON person USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_loan ON loan USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_project ON project USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(name, '') || ' ' || coalesce(outcome, '') || ' ' || coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_task ON task USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(title, '') || ' ' || coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_incident ON incident USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(symptom, '') || ' ' || coalesce(cause, '') || ' ' || coalesce(fix, '') || ' ' || coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_incident_step ON incident_step USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_playbook ON playbook USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(brand, '') || ' ' || coalesce(model, '') || ' ' || coalesce(symptom, '') || ' ' || coalesce(cause, '') || ' ' || coalesce(fix, '') || ' ' || coalesce(steps, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_link ON link USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(url, '') || ' ' || coalesce(title, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_stock_item ON stock_item USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(name, '') || ' ' || coalesce(vendor, '') || ' ' || coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
ALTER TABLE channel ENABLE ROW LEVEL SECURITY;
CREATE POLICY channel_of_its_person ON channel USING (person_id IN (SELECT id FROM person WHERE login = current_user) OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = current_database() || '_admin' AND pg_has_role(current_user, r.oid, 'MEMBER')));
CREATE OR REPLACE FUNCTION stuffctl_undo_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    step BIGINT;
    target JSONB;
BEGIN
    SELECT step_id INTO step FROM undo_now LIMIT 1;
    IF step IS NULL THEN
        RETURN NULL;
    END IF;
    target := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    INSERT INTO undo_row (step_id, table_name, op, key, before) VALUES (
        step, TG_TABLE_NAME, CASE TG_OP WHEN 'UPDATE' THEN 'u' ELSE 'd' END,
        (SELECT jsonb_object_agg(k, target -> k) FROM unnest(TG_ARGV) AS k)::text,
        to_jsonb(OLD)::text);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION stuffctl_undo_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    step BIGINT;
    keys JSONB;
BEGIN
    SELECT step_id INTO step FROM undo_now LIMIT 1;
    IF step IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT jsonb_agg(jsonb_build_array(%s)) FROM added',
                   (SELECT string_agg(format('%I', k), ', ') FROM unnest(TG_ARGV) AS k))
        INTO keys;
    IF keys IS NOT NULL THEN
        INSERT INTO undo_row (step_id, table_name, op, key, before)
        VALUES (step, TG_TABLE_NAME, 'a',
                jsonb_build_object('columns', to_jsonb(TG_ARGV), 'rows', keys)::text, NULL);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER undo_budget_ud AFTER UPDATE OR DELETE ON budget FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_budget_ai AFTER INSERT ON budget REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_category_ud AFTER UPDATE OR DELETE ON category FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_category_ai AFTER INSERT ON category REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_goal_ud AFTER UPDATE OR DELETE ON goal FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_goal_ai AFTER INSERT ON goal REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_notification_ud AFTER UPDATE OR DELETE ON notification FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_notification_ai AFTER INSERT ON notification REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_occurrence_ud AFTER UPDATE OR DELETE ON occurrence FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_occurrence_ai AFTER INSERT ON occurrence REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_person_ud AFTER UPDATE OR DELETE ON person FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_person_ai AFTER INSERT ON person REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_project_ud AFTER UPDATE OR DELETE ON project FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_project_ai AFTER INSERT ON project REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_asset_ud AFTER UPDATE OR DELETE ON asset FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_asset_ai AFTER INSERT ON asset REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_channel_ud AFTER UPDATE OR DELETE ON channel FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_channel_ai AFTER INSERT ON channel REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_notify_profile_ud AFTER UPDATE OR DELETE ON notify_profile FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('person_id');
CREATE TRIGGER undo_notify_profile_ai AFTER INSERT ON notify_profile REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('person_id');
CREATE TRIGGER undo_project_tag_ud AFTER UPDATE OR DELETE ON project_tag FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('project_id', 'tag');
CREATE TRIGGER undo_project_tag_ai AFTER INSERT ON project_tag REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('project_id', 'tag');
CREATE TRIGGER undo_reminder_ud AFTER UPDATE OR DELETE ON reminder FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_reminder_ai AFTER INSERT ON reminder REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_task_ud AFTER UPDATE OR DELETE ON task FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_task_ai AFTER INSERT ON task REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_asset_field_ud AFTER UPDATE OR DELETE ON asset_field FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('asset_id', 'key');
CREATE TRIGGER undo_asset_field_ai AFTER INSERT ON asset_field REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('asset_id', 'key');
CREATE TRIGGER undo_asset_tag_ud AFTER UPDATE OR DELETE ON asset_tag FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('asset_id', 'tag');
CREATE TRIGGER undo_asset_tag_ai AFTER INSERT ON asset_tag REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('asset_id', 'tag');
CREATE TRIGGER undo_incident_ud AFTER UPDATE OR DELETE ON incident FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_incident_ai AFTER INSERT ON incident REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_loan_ud AFTER UPDATE OR DELETE ON loan FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_loan_ai AFTER INSERT ON loan REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_maintenance_schedule_ud AFTER UPDATE OR DELETE ON maintenance_schedule FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_maintenance_schedule_ai AFTER INSERT ON maintenance_schedule REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_meter_reading_ud AFTER UPDATE OR DELETE ON meter_reading FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_meter_reading_ai AFTER INSERT ON meter_reading REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_project_asset_ud AFTER UPDATE OR DELETE ON project_asset FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('project_id', 'asset_id');
CREATE TRIGGER undo_project_asset_ai AFTER INSERT ON project_asset REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('project_id', 'asset_id');
CREATE TRIGGER undo_stock_item_ud AFTER UPDATE OR DELETE ON stock_item FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_stock_item_ai AFTER INSERT ON stock_item REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_subscription_ud AFTER UPDATE OR DELETE ON subscription FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_subscription_ai AFTER INSERT ON subscription REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_task_dep_ud AFTER UPDATE OR DELETE ON task_dep FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('task_id', 'depends_on_id');
CREATE TRIGGER undo_task_dep_ai AFTER INSERT ON task_dep REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('task_id', 'depends_on_id');
CREATE TRIGGER undo_task_tag_ud AFTER UPDATE OR DELETE ON task_tag FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('task_id', 'tag');
CREATE TRIGGER undo_task_tag_ai AFTER INSERT ON task_tag REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('task_id', 'tag');
CREATE TRIGGER undo_attachment_ud AFTER UPDATE OR DELETE ON attachment FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_attachment_ai AFTER INSERT ON attachment REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_incident_step_ud AFTER UPDATE OR DELETE ON incident_step FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_incident_step_ai AFTER INSERT ON incident_step REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_link_ud AFTER UPDATE OR DELETE ON link FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_link_ai AFTER INSERT ON link REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_playbook_ud AFTER UPDATE OR DELETE ON playbook FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_playbook_ai AFTER INSERT ON playbook REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_txn_ud AFTER UPDATE OR DELETE ON txn FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_txn_ai AFTER INSERT ON txn REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_event_ud AFTER UPDATE OR DELETE ON event FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_event_ai AFTER INSERT ON event REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_incident_txn_ud AFTER UPDATE OR DELETE ON incident_txn FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('incident_id', 'txn_id');
CREATE TRIGGER undo_incident_txn_ai AFTER INSERT ON incident_txn REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('incident_id', 'txn_id');
CREATE TRIGGER undo_stock_move_ud AFTER UPDATE OR DELETE ON stock_move FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_stock_move_ai AFTER INSERT ON stock_move REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_subscription_charge_ud AFTER UPDATE OR DELETE ON subscription_charge FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_subscription_charge_ai AFTER INSERT ON subscription_charge REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_txn_tag_ud AFTER UPDATE OR DELETE ON txn_tag FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('txn_id', 'tag');
CREATE TRIGGER undo_txn_tag_ai AFTER INSERT ON txn_tag REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('txn_id', 'tag');
INSERT INTO alembic_version (version_num) VALUES ('0010');
