-- revision 0010
-- The schema of a blank stuffctl database after every migration (see store/migrate.py).
-- Written by `python -m stuffctl.store.generate`; do not edit.
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE budget (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	category VARCHAR NOT NULL, 
	period VARCHAR NOT NULL, 
	amount_minor INTEGER NOT NULL, 
	currency VARCHAR(3) NOT NULL, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_budget PRIMARY KEY (id), 
	CONSTRAINT uq_budget_uid UNIQUE (uid)
);
CREATE UNIQUE INDEX ix_budget_category ON budget (category);
CREATE TABLE goal (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	metric VARCHAR NOT NULL, 
	op VARCHAR(2) NOT NULL, 
	target VARCHAR NOT NULL, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_goal PRIMARY KEY (id), 
	CONSTRAINT uq_goal_uid UNIQUE (uid)
);
CREATE UNIQUE INDEX ix_goal_metric ON goal (metric);
CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	CONSTRAINT pk_meta PRIMARY KEY ("key")
);
CREATE TABLE notification (
	id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	occurrence VARCHAR NOT NULL, 
	band VARCHAR NOT NULL, 
	round INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	due DATETIME NOT NULL, 
	notified_at DATETIME NOT NULL, 
	CONSTRAINT pk_notification PRIMARY KEY (id), 
	CONSTRAINT uq_notification_key_occurrence_band_round UNIQUE ("key", occurrence, band, round)
);
CREATE INDEX ix_notification_due ON notification (due);
CREATE INDEX ix_notification_notified_at ON notification (notified_at);
CREATE TABLE occurrence (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	"key" VARCHAR NOT NULL, 
	occurrence VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	due DATETIME NOT NULL, 
	all_day BOOLEAN NOT NULL, 
	state VARCHAR NOT NULL, 
	acted_on DATE, 
	missed INTEGER NOT NULL, 
	snoozed_until DATETIME, 
	snoozes INTEGER NOT NULL, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_occurrence PRIMARY KEY (id), 
	CONSTRAINT uq_occurrence_key_occurrence UNIQUE ("key", occurrence), 
	CONSTRAINT uq_occurrence_uid UNIQUE (uid)
);
CREATE INDEX ix_occurrence_due ON occurrence (due);
CREATE INDEX ix_occurrence_key ON occurrence ("key");
CREATE INDEX ix_occurrence_state ON occurrence (state);
CREATE TABLE person (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	name VARCHAR NOT NULL, 
	email VARCHAR, 
	phone VARCHAR, 
	notes VARCHAR, created_by VARCHAR, updated_by VARCHAR, login VARCHAR, 
	CONSTRAINT pk_person PRIMARY KEY (id), 
	CONSTRAINT uq_person_uid UNIQUE (uid)
);
CREATE INDEX ix_person_name ON person (name);
CREATE TABLE project (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	name VARCHAR NOT NULL, 
	outcome VARCHAR, 
	status VARCHAR NOT NULL, 
	start_on DATE, 
	due_on DATE, 
	budget_minor INTEGER, 
	budget_currency VARCHAR(3), 
	done_on DATE, 
	notes VARCHAR, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_project PRIMARY KEY (id), 
	CONSTRAINT uq_project_uid UNIQUE (uid)
);
CREATE INDEX ix_project_due_on ON project (due_on);
CREATE INDEX ix_project_name ON project (name);
CREATE INDEX ix_project_status ON project (status);
CREATE TABLE asset (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	name VARCHAR NOT NULL, 
	category VARCHAR, 
	location VARCHAR, 
	brand VARCHAR, 
	model VARCHAR, 
	serial VARCHAR, 
	purchased_on DATE, 
	price_minor INTEGER, 
	price_currency VARCHAR(3), 
	vendor VARCHAR, 
	warranty_until DATE, 
	life_months INTEGER, 
	status VARCHAR NOT NULL, 
	parent_id INTEGER, 
	retired_on DATE, 
	sold_minor INTEGER, 
	sold_currency VARCHAR(3), 
	notes VARCHAR, 
	owner_id INTEGER, 
	last_seen_on DATE, 
	last_seen_at VARCHAR, url VARCHAR, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_asset PRIMARY KEY (id), 
	CONSTRAINT fk_asset_owner_id_person FOREIGN KEY(owner_id) REFERENCES person (id) ON DELETE SET NULL, 
	CONSTRAINT fk_asset_parent_id_asset FOREIGN KEY(parent_id) REFERENCES asset (id) ON DELETE SET NULL, 
	CONSTRAINT uq_asset_uid UNIQUE (uid)
);
CREATE INDEX ix_asset_category ON asset (category);
CREATE INDEX ix_asset_last_seen_on ON asset (last_seen_on);
CREATE INDEX ix_asset_location ON asset (location);
CREATE INDEX ix_asset_name ON asset (name);
CREATE INDEX ix_asset_owner_id ON asset (owner_id);
CREATE INDEX ix_asset_parent_id ON asset (parent_id);
CREATE INDEX ix_asset_purchased_on ON asset (purchased_on);
CREATE INDEX ix_asset_status ON asset (status);
CREATE INDEX ix_asset_warranty_until ON asset (warranty_until);
CREATE TABLE project_tag (
	project_id INTEGER NOT NULL, 
	tag VARCHAR NOT NULL, 
	CONSTRAINT pk_project_tag PRIMARY KEY (project_id, tag), 
	CONSTRAINT fk_project_tag_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_project_tag_tag ON project_tag (tag);
CREATE TABLE asset_field (
	asset_id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	CONSTRAINT pk_asset_field PRIMARY KEY (asset_id, "key"), 
	CONSTRAINT fk_asset_field_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE
);
CREATE TABLE asset_tag (
	asset_id INTEGER NOT NULL, 
	tag VARCHAR NOT NULL, 
	CONSTRAINT pk_asset_tag PRIMARY KEY (asset_id, tag), 
	CONSTRAINT fk_asset_tag_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE
);
CREATE INDEX ix_asset_tag_tag ON asset_tag (tag);
CREATE TABLE loan (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	asset_id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	direction VARCHAR(3) NOT NULL, 
	since DATE NOT NULL, 
	due_on DATE, 
	returned_on DATE, 
	notes VARCHAR, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_loan PRIMARY KEY (id), 
	CONSTRAINT fk_loan_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE, 
	CONSTRAINT fk_loan_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE RESTRICT, 
	CONSTRAINT uq_loan_uid UNIQUE (uid)
);
CREATE INDEX ix_loan_asset_id ON loan (asset_id);
CREATE INDEX ix_loan_direction ON loan (direction);
CREATE INDEX ix_loan_due_on ON loan (due_on);
CREATE INDEX ix_loan_person_id ON loan (person_id);
CREATE INDEX ix_loan_returned_on ON loan (returned_on);
CREATE INDEX ix_loan_since ON loan (since);
CREATE TABLE maintenance_schedule (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	asset_id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	rule VARCHAR, 
	every_amount FLOAT, 
	every_unit VARCHAR, 
	lead VARCHAR, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_maintenance_schedule PRIMARY KEY (id), 
	CONSTRAINT fk_maintenance_schedule_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE, 
	CONSTRAINT uq_maintenance_schedule_uid UNIQUE (uid)
);
CREATE INDEX ix_maintenance_schedule_asset_id ON maintenance_schedule (asset_id);
CREATE TABLE meter_reading (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	asset_id INTEGER NOT NULL, 
	value FLOAT NOT NULL, 
	unit VARCHAR NOT NULL, 
	taken_on DATE NOT NULL, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_meter_reading PRIMARY KEY (id), 
	CONSTRAINT fk_meter_reading_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE, 
	CONSTRAINT uq_meter_reading_uid UNIQUE (uid)
);
CREATE INDEX ix_meter_reading_asset_id ON meter_reading (asset_id);
CREATE INDEX ix_meter_reading_taken_on ON meter_reading (taken_on);
CREATE TABLE project_asset (
	project_id INTEGER NOT NULL, 
	asset_id INTEGER NOT NULL, 
	CONSTRAINT pk_project_asset PRIMARY KEY (project_id, asset_id), 
	CONSTRAINT fk_project_asset_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE, 
	CONSTRAINT fk_project_asset_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_project_asset_asset_id ON project_asset (asset_id);
CREATE TABLE task_dep (
	task_id INTEGER NOT NULL, 
	depends_on_id INTEGER NOT NULL, 
	CONSTRAINT pk_task_dep PRIMARY KEY (task_id, depends_on_id), 
	CONSTRAINT fk_task_dep_depends_on_id_task FOREIGN KEY(depends_on_id) REFERENCES task (id) ON DELETE CASCADE, 
	CONSTRAINT fk_task_dep_task_id_task FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE
);
CREATE INDEX ix_task_dep_depends_on_id ON task_dep (depends_on_id);
CREATE TABLE task_tag (
	task_id INTEGER NOT NULL, 
	tag VARCHAR NOT NULL, 
	CONSTRAINT pk_task_tag PRIMARY KEY (task_id, tag), 
	CONSTRAINT fk_task_tag_task_id_task FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE
);
CREATE INDEX ix_task_tag_tag ON task_tag (tag);
CREATE TABLE txn (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	occurred_on DATE NOT NULL, 
	amount_minor INTEGER NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	payee VARCHAR, 
	category VARCHAR, 
	account VARCHAR, 
	memo VARCHAR, 
	asset_id INTEGER, 
	project_id INTEGER, 
	subscription_id INTEGER, 
	fingerprint VARCHAR, 
	import_line INTEGER, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_txn PRIMARY KEY (id), 
	CONSTRAINT fk_txn_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE SET NULL, 
	CONSTRAINT fk_txn_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE SET NULL, 
	CONSTRAINT fk_txn_subscription_id_subscription FOREIGN KEY(subscription_id) REFERENCES subscription (id) ON DELETE SET NULL, 
	CONSTRAINT uq_txn_uid UNIQUE (uid)
);
CREATE INDEX ix_txn_asset_id ON txn (asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX ix_txn_category ON txn (category);
CREATE UNIQUE INDEX ix_txn_fingerprint ON txn (fingerprint);
CREATE INDEX ix_txn_project_id ON txn (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX ix_txn_spend ON txn (occurred_on, category, currency, amount_minor);
CREATE INDEX ix_txn_subscription_id ON txn (subscription_id) WHERE subscription_id IS NOT NULL;
CREATE TABLE event (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	asset_id INTEGER NOT NULL, 
	occurred_on DATE NOT NULL, 
	kind VARCHAR NOT NULL, 
	notes VARCHAR, 
	meter FLOAT, 
	meter_unit VARCHAR, 
	txn_id INTEGER, created_by VARCHAR, updated_by VARCHAR, 
	CONSTRAINT pk_event PRIMARY KEY (id), 
	CONSTRAINT fk_event_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE, 
	CONSTRAINT fk_event_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE SET NULL, 
	CONSTRAINT uq_event_uid UNIQUE (uid)
);
CREATE INDEX ix_event_asset_id ON event (asset_id);
CREATE INDEX ix_event_kind ON event (kind);
CREATE INDEX ix_event_occurred_on ON event (occurred_on);
CREATE TABLE subscription_charge (
	id INTEGER NOT NULL, 
	subscription_id INTEGER NOT NULL, 
	due_on DATE NOT NULL, 
	paid_on DATE, 
	amount_minor INTEGER NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	estimated BOOLEAN NOT NULL, 
	txn_id INTEGER, 
	CONSTRAINT pk_subscription_charge PRIMARY KEY (id), 
	CONSTRAINT fk_subscription_charge_subscription_id_subscription FOREIGN KEY(subscription_id) REFERENCES subscription (id) ON DELETE CASCADE, 
	CONSTRAINT fk_subscription_charge_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE SET NULL, 
	CONSTRAINT uq_subscription_charge_subscription_id_due_on UNIQUE (subscription_id, due_on)
);
CREATE INDEX ix_subscription_charge_subscription_id ON subscription_charge (subscription_id);
CREATE TABLE txn_tag (
	txn_id INTEGER NOT NULL, 
	tag VARCHAR NOT NULL, 
	CONSTRAINT pk_txn_tag PRIMARY KEY (txn_id, tag), 
	CONSTRAINT fk_txn_tag_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE CASCADE
);
CREATE INDEX ix_txn_tag_tag ON txn_tag (tag);
CREATE VIRTUAL TABLE fts_asset_field USING fts5(key, value, content='asset_field', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_event USING fts5(kind, notes, content='event', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_txn USING fts5(payee, category, memo, content='txn', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_person USING fts5(name, email, phone, notes, content='person', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_loan USING fts5(notes, content='loan', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_project USING fts5(name, outcome, notes, content='project', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_task USING fts5(title, notes, content='task', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE INDEX ix_asset_created_at ON asset (created_at);
CREATE INDEX ix_asset_updated_at ON asset (updated_at);
CREATE INDEX ix_event_created_at ON event (created_at);
CREATE INDEX ix_txn_created_at ON txn (created_at);
CREATE UNIQUE INDEX ix_person_login ON person (login);
CREATE TABLE "task" (
	id INTEGER NOT NULL,
	uid VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	created_by VARCHAR,
	updated_by VARCHAR,
	project_id INTEGER NOT NULL,
	title VARCHAR NOT NULL,
	status VARCHAR NOT NULL,
	priority VARCHAR(1),
	due_on DATE,
	done_at DATETIME,
	notes VARCHAR,
	assignee_id INTEGER,
	CONSTRAINT pk_task PRIMARY KEY (id),
	CONSTRAINT fk_task_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE,
	CONSTRAINT fk_task_assignee_id_person FOREIGN KEY(assignee_id) REFERENCES person (id) ON DELETE SET NULL,
	CONSTRAINT uq_task_uid UNIQUE (uid)
);
CREATE INDEX ix_task_assignee_id ON task (assignee_id);
CREATE INDEX ix_task_done_at ON task (done_at);
CREATE INDEX ix_task_due_on ON task (due_on);
CREATE INDEX ix_task_project_id ON task (project_id);
CREATE INDEX ix_task_status ON task (status);
CREATE TABLE change (
	id INTEGER NOT NULL, 
	table_name VARCHAR NOT NULL, 
	row_id INTEGER NOT NULL, 
	field VARCHAR NOT NULL, 
	changed_by VARCHAR, 
	changed_at DATETIME NOT NULL, 
	CONSTRAINT pk_change PRIMARY KEY (id)
);
CREATE INDEX ix_change_table_name_row_id_id ON change (table_name, row_id, id);
CREATE TABLE channel (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	created_by VARCHAR, 
	updated_by VARCHAR, 
	person_id INTEGER NOT NULL, 
	url VARCHAR NOT NULL, 
	CONSTRAINT pk_channel PRIMARY KEY (id), 
	CONSTRAINT fk_channel_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE, 
	CONSTRAINT uq_channel_person_id_url UNIQUE (person_id, url), 
	CONSTRAINT uq_channel_uid UNIQUE (uid)
);
CREATE INDEX ix_channel_person_id ON channel (person_id);
CREATE TABLE notify_profile (
	person_id INTEGER NOT NULL, 
	kinds VARCHAR NOT NULL, 
	bands VARCHAR NOT NULL, 
	digest VARCHAR NOT NULL, 
	quiet_hours VARCHAR NOT NULL, 
	last_digest_at DATETIME, 
	CONSTRAINT pk_notify_profile PRIMARY KEY (person_id), 
	CONSTRAINT fk_notify_profile_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
);
CREATE TABLE notice (
	id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	occurrence VARCHAR NOT NULL, 
	band VARCHAR NOT NULL, 
	round INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	due DATETIME NOT NULL, 
	decided_at DATETIME NOT NULL, 
	held BOOLEAN NOT NULL, 
	CONSTRAINT pk_notice PRIMARY KEY (id), 
	CONSTRAINT fk_notice_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE, 
	CONSTRAINT uq_notice_person_id_key_occurrence_band_round UNIQUE (person_id, "key", occurrence, band, round)
);
CREATE INDEX ix_notice_decided_at ON notice (decided_at);
CREATE INDEX ix_notice_held ON notice (held);
CREATE INDEX ix_notice_person_id ON notice (person_id);
CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	channel_id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	body VARCHAR NOT NULL, 
	digest BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	state VARCHAR NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_try_at DATETIME, 
	tried_at DATETIME, 
	delivered_at DATETIME, 
	error VARCHAR, 
	CONSTRAINT pk_outbox PRIMARY KEY (id), 
	CONSTRAINT fk_outbox_channel_id_channel FOREIGN KEY(channel_id) REFERENCES channel (id) ON DELETE CASCADE, 
	CONSTRAINT fk_outbox_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
);
CREATE INDEX ix_outbox_channel_id ON outbox (channel_id);
CREATE INDEX ix_outbox_next_try_at ON outbox (next_try_at);
CREATE INDEX ix_outbox_person_id ON outbox (person_id);
CREATE INDEX ix_outbox_state ON outbox (state);
CREATE TABLE "subscription" (
	id INTEGER NOT NULL,
	uid VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	created_by VARCHAR,
	updated_by VARCHAR,
	name VARCHAR NOT NULL,
	amount_minor INTEGER NOT NULL,
	currency VARCHAR(3) NOT NULL,
	rule VARCHAR NOT NULL,
	anchor_on DATE NOT NULL,
	next_on DATE NOT NULL,
	category VARCHAR,
	account VARCHAR,
	asset_id INTEGER,
	cancel_by DATE,
	status VARCHAR NOT NULL,
	cancelled_on DATE,
	notes VARCHAR,
	payer_id INTEGER,
	CONSTRAINT pk_subscription PRIMARY KEY (id),
	CONSTRAINT fk_subscription_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE SET NULL,
	CONSTRAINT fk_subscription_payer_id_person FOREIGN KEY(payer_id) REFERENCES person (id) ON DELETE SET NULL,
	CONSTRAINT uq_subscription_uid UNIQUE (uid)
);
CREATE INDEX ix_subscription_asset_id ON subscription (asset_id);
CREATE INDEX ix_subscription_cancel_by ON subscription (cancel_by);
CREATE INDEX ix_subscription_name ON subscription (name);
CREATE INDEX ix_subscription_next_on ON subscription (next_on);
CREATE INDEX ix_subscription_payer_id ON subscription (payer_id);
CREATE INDEX ix_subscription_status ON subscription (status);
CREATE TABLE "reminder" (
	id INTEGER NOT NULL,
	uid VARCHAR(36) NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	created_by VARCHAR,
	updated_by VARCHAR,
	title VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	about_kind VARCHAR,
	about_id INTEGER,
	start_on DATE NOT NULL,
	due_on DATE NOT NULL,
	due_time TIME,
	rule VARCHAR,
	from_done BOOLEAN NOT NULL,
	lead VARCHAR,
	snoozed_until DATETIME,
	state VARCHAR NOT NULL,
	notes VARCHAR,
	person_id INTEGER,
	CONSTRAINT pk_reminder PRIMARY KEY (id),
	CONSTRAINT fk_reminder_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE SET NULL,
	CONSTRAINT uq_reminder_uid UNIQUE (uid)
);
CREATE INDEX ix_reminder_due_on ON reminder (due_on);
CREATE INDEX ix_reminder_kind ON reminder (kind);
CREATE INDEX ix_reminder_person_id ON reminder (person_id);
CREATE INDEX ix_reminder_state ON reminder (state);
CREATE TABLE category (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	created_by VARCHAR, 
	updated_by VARCHAR, 
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	CONSTRAINT pk_category PRIMARY KEY (id), 
	CONSTRAINT uq_category_name UNIQUE (name), 
	CONSTRAINT uq_category_uid UNIQUE (uid)
);
CREATE TABLE undo_now (
	step_id INTEGER NOT NULL, 
	CONSTRAINT pk_undo_now PRIMARY KEY (step_id)
);
CREATE TABLE undo_step (
	id INTEGER NOT NULL, 
	command VARCHAR NOT NULL, 
	ran_at DATETIME NOT NULL, 
	ran_by VARCHAR, 
	undone_at DATETIME, 
	CONSTRAINT pk_undo_step PRIMARY KEY (id)
);
CREATE TABLE undo_row (
	id INTEGER NOT NULL, 
	step_id INTEGER NOT NULL, 
	table_name VARCHAR NOT NULL, 
	op VARCHAR(1) NOT NULL, 
	"key" VARCHAR NOT NULL, 
	"before" VARCHAR, 
	CONSTRAINT pk_undo_row PRIMARY KEY (id), 
	CONSTRAINT fk_undo_row_step_id_undo_step FOREIGN KEY(step_id) REFERENCES undo_step (id) ON DELETE CASCADE
);
CREATE INDEX ix_undo_row_step_id ON undo_row (step_id);
CREATE TABLE incident (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	created_by VARCHAR, 
	updated_by VARCHAR, 
	asset_id INTEGER NOT NULL, 
	symptom VARCHAR NOT NULL, 
	started_on DATE NOT NULL, 
	status VARCHAR NOT NULL, 
	closed_on DATE, 
	cause VARCHAR, 
	fix VARCHAR, 
	notes VARCHAR, 
	out_of_use BOOLEAN NOT NULL, 
	downtime_days INTEGER, 
	CONSTRAINT pk_incident PRIMARY KEY (id), 
	CONSTRAINT fk_incident_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE, 
	CONSTRAINT uq_incident_uid UNIQUE (uid)
);
CREATE INDEX ix_incident_asset_id ON incident (asset_id);
CREATE INDEX ix_incident_started_on ON incident (started_on);
CREATE INDEX ix_incident_status ON incident (status);
CREATE TABLE stock_item (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	created_by VARCHAR, 
	updated_by VARCHAR, 
	name VARCHAR NOT NULL, 
	unit VARCHAR, 
	quantity_milli INTEGER NOT NULL, 
	reorder_milli INTEGER, 
	buy_milli INTEGER, 
	lead_days INTEGER, 
	asset_id INTEGER, 
	category VARCHAR, 
	vendor VARCHAR, 
	notes VARCHAR, 
	CONSTRAINT pk_stock_item PRIMARY KEY (id), 
	CONSTRAINT fk_stock_item_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE SET NULL, 
	CONSTRAINT uq_stock_item_uid UNIQUE (uid)
);
CREATE INDEX ix_stock_item_asset_id ON stock_item (asset_id);
CREATE INDEX ix_stock_item_name ON stock_item (name);
CREATE TABLE incident_step (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	created_by VARCHAR, 
	updated_by VARCHAR, 
	incident_id INTEGER NOT NULL, 
	occurred_on DATE NOT NULL, 
	notes VARCHAR NOT NULL, 
	helped BOOLEAN, 
	CONSTRAINT pk_incident_step PRIMARY KEY (id), 
	CONSTRAINT fk_incident_step_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE CASCADE, 
	CONSTRAINT uq_incident_step_uid UNIQUE (uid)
);
CREATE INDEX ix_incident_step_incident_id ON incident_step (incident_id);
CREATE TABLE link (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	created_by VARCHAR, 
	updated_by VARCHAR, 
	asset_id INTEGER, 
	incident_id INTEGER, 
	kind VARCHAR NOT NULL, 
	url VARCHAR NOT NULL, 
	title VARCHAR, 
	CONSTRAINT pk_link PRIMARY KEY (id), 
	CONSTRAINT fk_link_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE, 
	CONSTRAINT fk_link_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE CASCADE, 
	CONSTRAINT uq_link_uid UNIQUE (uid)
);
CREATE INDEX ix_link_asset_id ON link (asset_id);
CREATE INDEX ix_link_incident_id ON link (incident_id);
CREATE INDEX ix_link_kind ON link (kind);
CREATE TABLE playbook (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	created_by VARCHAR, 
	updated_by VARCHAR, 
	brand VARCHAR, 
	model VARCHAR, 
	category VARCHAR, 
	symptom VARCHAR NOT NULL, 
	cause VARCHAR, 
	fix VARCHAR NOT NULL, 
	steps VARCHAR, 
	incident_id INTEGER, 
	origin VARCHAR, 
	CONSTRAINT pk_playbook PRIMARY KEY (id), 
	CONSTRAINT fk_playbook_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE SET NULL, 
	CONSTRAINT uq_playbook_uid UNIQUE (uid)
);
CREATE INDEX ix_playbook_category ON playbook (category);
CREATE INDEX ix_playbook_incident_id ON playbook (incident_id);
CREATE TABLE incident_txn (
	incident_id INTEGER NOT NULL, 
	txn_id INTEGER NOT NULL, 
	CONSTRAINT pk_incident_txn PRIMARY KEY (incident_id, txn_id), 
	CONSTRAINT fk_incident_txn_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE CASCADE, 
	CONSTRAINT fk_incident_txn_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE CASCADE
);
CREATE INDEX ix_incident_txn_txn_id ON incident_txn (txn_id);
CREATE TABLE stock_move (
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	created_by VARCHAR, 
	updated_by VARCHAR, 
	item_id INTEGER NOT NULL, 
	occurred_on DATE NOT NULL, 
	kind VARCHAR NOT NULL, 
	delta_milli INTEGER NOT NULL, 
	txn_id INTEGER, 
	notes VARCHAR, 
	CONSTRAINT pk_stock_move PRIMARY KEY (id), 
	CONSTRAINT fk_stock_move_item_id_stock_item FOREIGN KEY(item_id) REFERENCES stock_item (id) ON DELETE CASCADE, 
	CONSTRAINT fk_stock_move_txn_id_txn FOREIGN KEY(txn_id) REFERENCES txn (id) ON DELETE SET NULL, 
	CONSTRAINT uq_stock_move_uid UNIQUE (uid)
);
CREATE INDEX ix_stock_move_item_id ON stock_move (item_id);
CREATE INDEX ix_stock_move_occurred_on ON stock_move (occurred_on);
CREATE INDEX ix_stock_move_txn_id ON stock_move (txn_id);
CREATE TABLE "attachment" (id INTEGER NOT NULL, uid VARCHAR(36) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, created_by VARCHAR, updated_by VARCHAR, asset_id INTEGER NOT NULL, filename VARCHAR NOT NULL, sha256 VARCHAR(64) NOT NULL, size INTEGER NOT NULL, incident_id INTEGER, CONSTRAINT pk_attachment PRIMARY KEY (id), CONSTRAINT uq_attachment_uid UNIQUE (uid), CONSTRAINT fk_attachment_asset_id_asset FOREIGN KEY(asset_id) REFERENCES asset (id) ON DELETE CASCADE, CONSTRAINT fk_attachment_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE SET NULL);
CREATE INDEX ix_attachment_asset_id ON attachment (asset_id);
CREATE INDEX ix_attachment_sha256 ON attachment (sha256);
CREATE INDEX ix_attachment_incident_id ON attachment (incident_id);
CREATE VIRTUAL TABLE fts_asset USING fts5(name, location, brand, model, serial, notes, url, content='asset', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER fts_asset_ai AFTER INSERT ON asset BEGIN INSERT INTO fts_asset(rowid, name, location, brand, model, serial, notes, url) VALUES (new.id, new.name, new.location, new.brand, new.model, new.serial, new.notes, new.url); END;
CREATE TRIGGER fts_asset_ad AFTER DELETE ON asset BEGIN INSERT INTO fts_asset(fts_asset, rowid, name, location, brand, model, serial, notes, url) VALUES ('delete', old.id, old.name, old.location, old.brand, old.model, old.serial, old.notes, old.url); END;
CREATE TRIGGER fts_asset_au AFTER UPDATE ON asset BEGIN INSERT INTO fts_asset(fts_asset, rowid, name, location, brand, model, serial, notes, url) VALUES ('delete', old.id, old.name, old.location, old.brand, old.model, old.serial, old.notes, old.url); INSERT INTO fts_asset(rowid, name, location, brand, model, serial, notes, url) VALUES (new.id, new.name, new.location, new.brand, new.model, new.serial, new.notes, new.url); END;
CREATE TRIGGER fts_asset_field_ai AFTER INSERT ON asset_field BEGIN INSERT INTO fts_asset_field(rowid, key, value) VALUES (new.rowid, new.key, new.value); END;
CREATE TRIGGER fts_asset_field_ad AFTER DELETE ON asset_field BEGIN INSERT INTO fts_asset_field(fts_asset_field, rowid, key, value) VALUES ('delete', old.rowid, old.key, old.value); END;
CREATE TRIGGER fts_asset_field_au AFTER UPDATE ON asset_field BEGIN INSERT INTO fts_asset_field(fts_asset_field, rowid, key, value) VALUES ('delete', old.rowid, old.key, old.value); INSERT INTO fts_asset_field(rowid, key, value) VALUES (new.rowid, new.key, new.value); END;
CREATE TRIGGER fts_event_ai AFTER INSERT ON event BEGIN INSERT INTO fts_event(rowid, kind, notes) VALUES (new.id, new.kind, new.notes); END;
CREATE TRIGGER fts_event_ad AFTER DELETE ON event BEGIN INSERT INTO fts_event(fts_event, rowid, kind, notes) VALUES ('delete', old.id, old.kind, old.notes); END;
CREATE TRIGGER fts_event_au AFTER UPDATE ON event BEGIN INSERT INTO fts_event(fts_event, rowid, kind, notes) VALUES ('delete', old.id, old.kind, old.notes); INSERT INTO fts_event(rowid, kind, notes) VALUES (new.id, new.kind, new.notes); END;
CREATE TRIGGER fts_txn_ai AFTER INSERT ON txn BEGIN INSERT INTO fts_txn(rowid, payee, category, memo) VALUES (new.id, new.payee, new.category, new.memo); END;
CREATE TRIGGER fts_txn_ad AFTER DELETE ON txn BEGIN INSERT INTO fts_txn(fts_txn, rowid, payee, category, memo) VALUES ('delete', old.id, old.payee, old.category, old.memo); END;
CREATE TRIGGER fts_txn_au AFTER UPDATE ON txn BEGIN INSERT INTO fts_txn(fts_txn, rowid, payee, category, memo) VALUES ('delete', old.id, old.payee, old.category, old.memo); INSERT INTO fts_txn(rowid, payee, category, memo) VALUES (new.id, new.payee, new.category, new.memo); END;
CREATE TRIGGER fts_person_ai AFTER INSERT ON person BEGIN INSERT INTO fts_person(rowid, name, email, phone, notes) VALUES (new.id, new.name, new.email, new.phone, new.notes); END;
CREATE TRIGGER fts_person_ad AFTER DELETE ON person BEGIN INSERT INTO fts_person(fts_person, rowid, name, email, phone, notes) VALUES ('delete', old.id, old.name, old.email, old.phone, old.notes); END;
CREATE TRIGGER fts_person_au AFTER UPDATE ON person BEGIN INSERT INTO fts_person(fts_person, rowid, name, email, phone, notes) VALUES ('delete', old.id, old.name, old.email, old.phone, old.notes); INSERT INTO fts_person(rowid, name, email, phone, notes) VALUES (new.id, new.name, new.email, new.phone, new.notes); END;
CREATE TRIGGER fts_loan_ai AFTER INSERT ON loan BEGIN INSERT INTO fts_loan(rowid, notes) VALUES (new.id, new.notes); END;
CREATE TRIGGER fts_loan_ad AFTER DELETE ON loan BEGIN INSERT INTO fts_loan(fts_loan, rowid, notes) VALUES ('delete', old.id, old.notes); END;
CREATE TRIGGER fts_loan_au AFTER UPDATE ON loan BEGIN INSERT INTO fts_loan(fts_loan, rowid, notes) VALUES ('delete', old.id, old.notes); INSERT INTO fts_loan(rowid, notes) VALUES (new.id, new.notes); END;
CREATE TRIGGER fts_project_ai AFTER INSERT ON project BEGIN INSERT INTO fts_project(rowid, name, outcome, notes) VALUES (new.id, new.name, new.outcome, new.notes); END;
CREATE TRIGGER fts_project_ad AFTER DELETE ON project BEGIN INSERT INTO fts_project(fts_project, rowid, name, outcome, notes) VALUES ('delete', old.id, old.name, old.outcome, old.notes); END;
CREATE TRIGGER fts_project_au AFTER UPDATE ON project BEGIN INSERT INTO fts_project(fts_project, rowid, name, outcome, notes) VALUES ('delete', old.id, old.name, old.outcome, old.notes); INSERT INTO fts_project(rowid, name, outcome, notes) VALUES (new.id, new.name, new.outcome, new.notes); END;
CREATE TRIGGER fts_task_ai AFTER INSERT ON task BEGIN INSERT INTO fts_task(rowid, title, notes) VALUES (new.id, new.title, new.notes); END;
CREATE TRIGGER fts_task_ad AFTER DELETE ON task BEGIN INSERT INTO fts_task(fts_task, rowid, title, notes) VALUES ('delete', old.id, old.title, old.notes); END;
CREATE TRIGGER fts_task_au AFTER UPDATE ON task BEGIN INSERT INTO fts_task(fts_task, rowid, title, notes) VALUES ('delete', old.id, old.title, old.notes); INSERT INTO fts_task(rowid, title, notes) VALUES (new.id, new.title, new.notes); END;
CREATE VIRTUAL TABLE fts_incident USING fts5(symptom, cause, fix, notes, content='incident', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER fts_incident_ai AFTER INSERT ON incident BEGIN INSERT INTO fts_incident(rowid, symptom, cause, fix, notes) VALUES (new.id, new.symptom, new.cause, new.fix, new.notes); END;
CREATE TRIGGER fts_incident_ad AFTER DELETE ON incident BEGIN INSERT INTO fts_incident(fts_incident, rowid, symptom, cause, fix, notes) VALUES ('delete', old.id, old.symptom, old.cause, old.fix, old.notes); END;
CREATE TRIGGER fts_incident_au AFTER UPDATE ON incident BEGIN INSERT INTO fts_incident(fts_incident, rowid, symptom, cause, fix, notes) VALUES ('delete', old.id, old.symptom, old.cause, old.fix, old.notes); INSERT INTO fts_incident(rowid, symptom, cause, fix, notes) VALUES (new.id, new.symptom, new.cause, new.fix, new.notes); END;
CREATE VIRTUAL TABLE fts_incident_step USING fts5(notes, content='incident_step', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER fts_incident_step_ai AFTER INSERT ON incident_step BEGIN INSERT INTO fts_incident_step(rowid, notes) VALUES (new.id, new.notes); END;
CREATE TRIGGER fts_incident_step_ad AFTER DELETE ON incident_step BEGIN INSERT INTO fts_incident_step(fts_incident_step, rowid, notes) VALUES ('delete', old.id, old.notes); END;
CREATE TRIGGER fts_incident_step_au AFTER UPDATE ON incident_step BEGIN INSERT INTO fts_incident_step(fts_incident_step, rowid, notes) VALUES ('delete', old.id, old.notes); INSERT INTO fts_incident_step(rowid, notes) VALUES (new.id, new.notes); END;
CREATE VIRTUAL TABLE fts_playbook USING fts5(brand, model, symptom, cause, fix, steps, content='playbook', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER fts_playbook_ai AFTER INSERT ON playbook BEGIN INSERT INTO fts_playbook(rowid, brand, model, symptom, cause, fix, steps) VALUES (new.id, new.brand, new.model, new.symptom, new.cause, new.fix, new.steps); END;
CREATE TRIGGER fts_playbook_ad AFTER DELETE ON playbook BEGIN INSERT INTO fts_playbook(fts_playbook, rowid, brand, model, symptom, cause, fix, steps) VALUES ('delete', old.id, old.brand, old.model, old.symptom, old.cause, old.fix, old.steps); END;
CREATE TRIGGER fts_playbook_au AFTER UPDATE ON playbook BEGIN INSERT INTO fts_playbook(fts_playbook, rowid, brand, model, symptom, cause, fix, steps) VALUES ('delete', old.id, old.brand, old.model, old.symptom, old.cause, old.fix, old.steps); INSERT INTO fts_playbook(rowid, brand, model, symptom, cause, fix, steps) VALUES (new.id, new.brand, new.model, new.symptom, new.cause, new.fix, new.steps); END;
CREATE VIRTUAL TABLE fts_link USING fts5(url, title, content='link', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER fts_link_ai AFTER INSERT ON link BEGIN INSERT INTO fts_link(rowid, url, title) VALUES (new.id, new.url, new.title); END;
CREATE TRIGGER fts_link_ad AFTER DELETE ON link BEGIN INSERT INTO fts_link(fts_link, rowid, url, title) VALUES ('delete', old.id, old.url, old.title); END;
CREATE TRIGGER fts_link_au AFTER UPDATE ON link BEGIN INSERT INTO fts_link(fts_link, rowid, url, title) VALUES ('delete', old.id, old.url, old.title); INSERT INTO fts_link(rowid, url, title) VALUES (new.id, new.url, new.title); END;
CREATE VIRTUAL TABLE fts_stock_item USING fts5(name, vendor, notes, content='stock_item', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER fts_stock_item_ai AFTER INSERT ON stock_item BEGIN INSERT INTO fts_stock_item(rowid, name, vendor, notes) VALUES (new.id, new.name, new.vendor, new.notes); END;
CREATE TRIGGER fts_stock_item_ad AFTER DELETE ON stock_item BEGIN INSERT INTO fts_stock_item(fts_stock_item, rowid, name, vendor, notes) VALUES ('delete', old.id, old.name, old.vendor, old.notes); END;
CREATE TRIGGER fts_stock_item_au AFTER UPDATE ON stock_item BEGIN INSERT INTO fts_stock_item(fts_stock_item, rowid, name, vendor, notes) VALUES ('delete', old.id, old.name, old.vendor, old.notes); INSERT INTO fts_stock_item(rowid, name, vendor, notes) VALUES (new.id, new.name, new.vendor, new.notes); END;
CREATE TRIGGER undo_asset_ai AFTER INSERT ON "asset" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_asset_au AFTER UPDATE ON "asset" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'name', old."name", 'category', old."category", 'location', old."location", 'brand', old."brand", 'model', old."model", 'serial', old."serial", 'purchased_on', old."purchased_on", 'price_minor', old."price_minor", 'price_currency', old."price_currency", 'vendor', old."vendor", 'warranty_until', old."warranty_until", 'life_months', old."life_months", 'status', old."status", 'parent_id', old."parent_id", 'retired_on', old."retired_on", 'sold_minor', old."sold_minor", 'sold_currency', old."sold_currency", 'notes', old."notes", 'owner_id', old."owner_id", 'last_seen_on', old."last_seen_on", 'last_seen_at', old."last_seen_at", 'url', old."url", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_asset_ad AFTER DELETE ON "asset" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'name', old."name", 'category', old."category", 'location', old."location", 'brand', old."brand", 'model', old."model", 'serial', old."serial", 'purchased_on', old."purchased_on", 'price_minor', old."price_minor", 'price_currency', old."price_currency", 'vendor', old."vendor", 'warranty_until', old."warranty_until", 'life_months', old."life_months", 'status', old."status", 'parent_id', old."parent_id", 'retired_on', old."retired_on", 'sold_minor', old."sold_minor", 'sold_currency', old."sold_currency", 'notes', old."notes", 'owner_id', old."owner_id", 'last_seen_on', old."last_seen_on", 'last_seen_at', old."last_seen_at", 'url', old."url", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_asset_field_ai AFTER INSERT ON "asset_field" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset_field', 'i', json_object('asset_id', new."asset_id", 'key', new."key"), NULL FROM undo_now; END;
CREATE TRIGGER undo_asset_field_au AFTER UPDATE ON "asset_field" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset_field', 'u', json_object('asset_id', new."asset_id", 'key', new."key"), json_object('asset_id', old."asset_id", 'key', old."key", 'value', old."value") FROM undo_now; END;
CREATE TRIGGER undo_asset_field_ad AFTER DELETE ON "asset_field" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset_field', 'd', json_object('asset_id', old."asset_id", 'key', old."key"), json_object('asset_id', old."asset_id", 'key', old."key", 'value', old."value") FROM undo_now; END;
CREATE TRIGGER undo_asset_tag_ai AFTER INSERT ON "asset_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset_tag', 'i', json_object('asset_id', new."asset_id", 'tag', new."tag"), NULL FROM undo_now; END;
CREATE TRIGGER undo_asset_tag_au AFTER UPDATE ON "asset_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset_tag', 'u', json_object('asset_id', new."asset_id", 'tag', new."tag"), json_object('asset_id', old."asset_id", 'tag', old."tag") FROM undo_now; END;
CREATE TRIGGER undo_asset_tag_ad AFTER DELETE ON "asset_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'asset_tag', 'd', json_object('asset_id', old."asset_id", 'tag', old."tag"), json_object('asset_id', old."asset_id", 'tag', old."tag") FROM undo_now; END;
CREATE TRIGGER undo_attachment_ai AFTER INSERT ON "attachment" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'attachment', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_attachment_au AFTER UPDATE ON "attachment" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'attachment', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'asset_id', old."asset_id", 'filename', old."filename", 'sha256', old."sha256", 'size', old."size", 'incident_id', old."incident_id") FROM undo_now; END;
CREATE TRIGGER undo_attachment_ad AFTER DELETE ON "attachment" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'attachment', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'asset_id', old."asset_id", 'filename', old."filename", 'sha256', old."sha256", 'size', old."size", 'incident_id', old."incident_id") FROM undo_now; END;
CREATE TRIGGER undo_budget_ai AFTER INSERT ON "budget" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'budget', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_budget_au AFTER UPDATE ON "budget" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'budget', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'category', old."category", 'period', old."period", 'amount_minor', old."amount_minor", 'currency', old."currency", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_budget_ad AFTER DELETE ON "budget" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'budget', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'category', old."category", 'period', old."period", 'amount_minor', old."amount_minor", 'currency', old."currency", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_category_ai AFTER INSERT ON "category" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'category', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_category_au AFTER UPDATE ON "category" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'category', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'name', old."name", 'kind', old."kind") FROM undo_now; END;
CREATE TRIGGER undo_category_ad AFTER DELETE ON "category" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'category', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'name', old."name", 'kind', old."kind") FROM undo_now; END;
CREATE TRIGGER undo_channel_ai AFTER INSERT ON "channel" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'channel', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_channel_au AFTER UPDATE ON "channel" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'channel', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'person_id', old."person_id", 'url', old."url") FROM undo_now; END;
CREATE TRIGGER undo_channel_ad AFTER DELETE ON "channel" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'channel', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'person_id', old."person_id", 'url', old."url") FROM undo_now; END;
CREATE TRIGGER undo_event_ai AFTER INSERT ON "event" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'event', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_event_au AFTER UPDATE ON "event" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'event', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'asset_id', old."asset_id", 'occurred_on', old."occurred_on", 'kind', old."kind", 'notes', old."notes", 'meter', old."meter", 'meter_unit', old."meter_unit", 'txn_id', old."txn_id", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_event_ad AFTER DELETE ON "event" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'event', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'asset_id', old."asset_id", 'occurred_on', old."occurred_on", 'kind', old."kind", 'notes', old."notes", 'meter', old."meter", 'meter_unit', old."meter_unit", 'txn_id', old."txn_id", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_goal_ai AFTER INSERT ON "goal" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'goal', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_goal_au AFTER UPDATE ON "goal" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'goal', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'metric', old."metric", 'op', old."op", 'target', old."target", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_goal_ad AFTER DELETE ON "goal" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'goal', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'metric', old."metric", 'op', old."op", 'target', old."target", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_incident_ai AFTER INSERT ON "incident" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_incident_au AFTER UPDATE ON "incident" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'asset_id', old."asset_id", 'symptom', old."symptom", 'started_on', old."started_on", 'status', old."status", 'closed_on', old."closed_on", 'cause', old."cause", 'fix', old."fix", 'notes', old."notes", 'out_of_use', old."out_of_use", 'downtime_days', old."downtime_days") FROM undo_now; END;
CREATE TRIGGER undo_incident_ad AFTER DELETE ON "incident" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'asset_id', old."asset_id", 'symptom', old."symptom", 'started_on', old."started_on", 'status', old."status", 'closed_on', old."closed_on", 'cause', old."cause", 'fix', old."fix", 'notes', old."notes", 'out_of_use', old."out_of_use", 'downtime_days', old."downtime_days") FROM undo_now; END;
CREATE TRIGGER undo_incident_step_ai AFTER INSERT ON "incident_step" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident_step', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_incident_step_au AFTER UPDATE ON "incident_step" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident_step', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'incident_id', old."incident_id", 'occurred_on', old."occurred_on", 'notes', old."notes", 'helped', old."helped") FROM undo_now; END;
CREATE TRIGGER undo_incident_step_ad AFTER DELETE ON "incident_step" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident_step', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'incident_id', old."incident_id", 'occurred_on', old."occurred_on", 'notes', old."notes", 'helped', old."helped") FROM undo_now; END;
CREATE TRIGGER undo_incident_txn_ai AFTER INSERT ON "incident_txn" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident_txn', 'i', json_object('incident_id', new."incident_id", 'txn_id', new."txn_id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_incident_txn_au AFTER UPDATE ON "incident_txn" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident_txn', 'u', json_object('incident_id', new."incident_id", 'txn_id', new."txn_id"), json_object('incident_id', old."incident_id", 'txn_id', old."txn_id") FROM undo_now; END;
CREATE TRIGGER undo_incident_txn_ad AFTER DELETE ON "incident_txn" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'incident_txn', 'd', json_object('incident_id', old."incident_id", 'txn_id', old."txn_id"), json_object('incident_id', old."incident_id", 'txn_id', old."txn_id") FROM undo_now; END;
CREATE TRIGGER undo_link_ai AFTER INSERT ON "link" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'link', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_link_au AFTER UPDATE ON "link" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'link', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'asset_id', old."asset_id", 'incident_id', old."incident_id", 'kind', old."kind", 'url', old."url", 'title', old."title") FROM undo_now; END;
CREATE TRIGGER undo_link_ad AFTER DELETE ON "link" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'link', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'asset_id', old."asset_id", 'incident_id', old."incident_id", 'kind', old."kind", 'url', old."url", 'title', old."title") FROM undo_now; END;
CREATE TRIGGER undo_loan_ai AFTER INSERT ON "loan" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'loan', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_loan_au AFTER UPDATE ON "loan" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'loan', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'asset_id', old."asset_id", 'person_id', old."person_id", 'direction', old."direction", 'since', old."since", 'due_on', old."due_on", 'returned_on', old."returned_on", 'notes', old."notes", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_loan_ad AFTER DELETE ON "loan" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'loan', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'asset_id', old."asset_id", 'person_id', old."person_id", 'direction', old."direction", 'since', old."since", 'due_on', old."due_on", 'returned_on', old."returned_on", 'notes', old."notes", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_maintenance_schedule_ai AFTER INSERT ON "maintenance_schedule" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'maintenance_schedule', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_maintenance_schedule_au AFTER UPDATE ON "maintenance_schedule" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'maintenance_schedule', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'asset_id', old."asset_id", 'kind', old."kind", 'rule', old."rule", 'every_amount', old."every_amount", 'every_unit', old."every_unit", 'lead', old."lead", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_maintenance_schedule_ad AFTER DELETE ON "maintenance_schedule" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'maintenance_schedule', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'asset_id', old."asset_id", 'kind', old."kind", 'rule', old."rule", 'every_amount', old."every_amount", 'every_unit', old."every_unit", 'lead', old."lead", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_meter_reading_ai AFTER INSERT ON "meter_reading" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'meter_reading', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_meter_reading_au AFTER UPDATE ON "meter_reading" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'meter_reading', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'asset_id', old."asset_id", 'value', old."value", 'unit', old."unit", 'taken_on', old."taken_on", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_meter_reading_ad AFTER DELETE ON "meter_reading" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'meter_reading', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'asset_id', old."asset_id", 'value', old."value", 'unit', old."unit", 'taken_on', old."taken_on", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_notification_ai AFTER INSERT ON "notification" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'notification', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_notification_au AFTER UPDATE ON "notification" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'notification', 'u', json_object('id', new."id"), json_object('id', old."id", 'key', old."key", 'occurrence', old."occurrence", 'band', old."band", 'round', old."round", 'kind', old."kind", 'title', old."title", 'due', old."due", 'notified_at', old."notified_at") FROM undo_now; END;
CREATE TRIGGER undo_notification_ad AFTER DELETE ON "notification" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'notification', 'd', json_object('id', old."id"), json_object('id', old."id", 'key', old."key", 'occurrence', old."occurrence", 'band', old."band", 'round', old."round", 'kind', old."kind", 'title', old."title", 'due', old."due", 'notified_at', old."notified_at") FROM undo_now; END;
CREATE TRIGGER undo_notify_profile_ai AFTER INSERT ON "notify_profile" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'notify_profile', 'i', json_object('person_id', new."person_id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_notify_profile_au AFTER UPDATE ON "notify_profile" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'notify_profile', 'u', json_object('person_id', new."person_id"), json_object('person_id', old."person_id", 'kinds', old."kinds", 'bands', old."bands", 'digest', old."digest", 'quiet_hours', old."quiet_hours", 'last_digest_at', old."last_digest_at") FROM undo_now; END;
CREATE TRIGGER undo_notify_profile_ad AFTER DELETE ON "notify_profile" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'notify_profile', 'd', json_object('person_id', old."person_id"), json_object('person_id', old."person_id", 'kinds', old."kinds", 'bands', old."bands", 'digest', old."digest", 'quiet_hours', old."quiet_hours", 'last_digest_at', old."last_digest_at") FROM undo_now; END;
CREATE TRIGGER undo_occurrence_ai AFTER INSERT ON "occurrence" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'occurrence', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_occurrence_au AFTER UPDATE ON "occurrence" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'occurrence', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'key', old."key", 'occurrence', old."occurrence", 'kind', old."kind", 'title', old."title", 'due', old."due", 'all_day', old."all_day", 'state', old."state", 'acted_on', old."acted_on", 'missed', old."missed", 'snoozed_until', old."snoozed_until", 'snoozes', old."snoozes", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_occurrence_ad AFTER DELETE ON "occurrence" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'occurrence', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'key', old."key", 'occurrence', old."occurrence", 'kind', old."kind", 'title', old."title", 'due', old."due", 'all_day', old."all_day", 'state', old."state", 'acted_on', old."acted_on", 'missed', old."missed", 'snoozed_until', old."snoozed_until", 'snoozes', old."snoozes", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_person_ai AFTER INSERT ON "person" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'person', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_person_au AFTER UPDATE ON "person" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'person', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'name', old."name", 'email', old."email", 'phone', old."phone", 'notes', old."notes", 'created_by', old."created_by", 'updated_by', old."updated_by", 'login', old."login") FROM undo_now; END;
CREATE TRIGGER undo_person_ad AFTER DELETE ON "person" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'person', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'name', old."name", 'email', old."email", 'phone', old."phone", 'notes', old."notes", 'created_by', old."created_by", 'updated_by', old."updated_by", 'login', old."login") FROM undo_now; END;
CREATE TRIGGER undo_playbook_ai AFTER INSERT ON "playbook" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'playbook', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_playbook_au AFTER UPDATE ON "playbook" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'playbook', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'brand', old."brand", 'model', old."model", 'category', old."category", 'symptom', old."symptom", 'cause', old."cause", 'fix', old."fix", 'steps', old."steps", 'incident_id', old."incident_id", 'origin', old."origin") FROM undo_now; END;
CREATE TRIGGER undo_playbook_ad AFTER DELETE ON "playbook" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'playbook', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'brand', old."brand", 'model', old."model", 'category', old."category", 'symptom', old."symptom", 'cause', old."cause", 'fix', old."fix", 'steps', old."steps", 'incident_id', old."incident_id", 'origin', old."origin") FROM undo_now; END;
CREATE TRIGGER undo_project_ai AFTER INSERT ON "project" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_project_au AFTER UPDATE ON "project" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'name', old."name", 'outcome', old."outcome", 'status', old."status", 'start_on', old."start_on", 'due_on', old."due_on", 'budget_minor', old."budget_minor", 'budget_currency', old."budget_currency", 'done_on', old."done_on", 'notes', old."notes", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_project_ad AFTER DELETE ON "project" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'name', old."name", 'outcome', old."outcome", 'status', old."status", 'start_on', old."start_on", 'due_on', old."due_on", 'budget_minor', old."budget_minor", 'budget_currency', old."budget_currency", 'done_on', old."done_on", 'notes', old."notes", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_project_asset_ai AFTER INSERT ON "project_asset" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project_asset', 'i', json_object('project_id', new."project_id", 'asset_id', new."asset_id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_project_asset_au AFTER UPDATE ON "project_asset" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project_asset', 'u', json_object('project_id', new."project_id", 'asset_id', new."asset_id"), json_object('project_id', old."project_id", 'asset_id', old."asset_id") FROM undo_now; END;
CREATE TRIGGER undo_project_asset_ad AFTER DELETE ON "project_asset" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project_asset', 'd', json_object('project_id', old."project_id", 'asset_id', old."asset_id"), json_object('project_id', old."project_id", 'asset_id', old."asset_id") FROM undo_now; END;
CREATE TRIGGER undo_project_tag_ai AFTER INSERT ON "project_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project_tag', 'i', json_object('project_id', new."project_id", 'tag', new."tag"), NULL FROM undo_now; END;
CREATE TRIGGER undo_project_tag_au AFTER UPDATE ON "project_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project_tag', 'u', json_object('project_id', new."project_id", 'tag', new."tag"), json_object('project_id', old."project_id", 'tag', old."tag") FROM undo_now; END;
CREATE TRIGGER undo_project_tag_ad AFTER DELETE ON "project_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'project_tag', 'd', json_object('project_id', old."project_id", 'tag', old."tag"), json_object('project_id', old."project_id", 'tag', old."tag") FROM undo_now; END;
CREATE TRIGGER undo_reminder_ai AFTER INSERT ON "reminder" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'reminder', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_reminder_au AFTER UPDATE ON "reminder" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'reminder', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'title', old."title", 'kind', old."kind", 'about_kind', old."about_kind", 'about_id', old."about_id", 'start_on', old."start_on", 'due_on', old."due_on", 'due_time', old."due_time", 'rule', old."rule", 'from_done', old."from_done", 'lead', old."lead", 'snoozed_until', old."snoozed_until", 'state', old."state", 'notes', old."notes", 'person_id', old."person_id") FROM undo_now; END;
CREATE TRIGGER undo_reminder_ad AFTER DELETE ON "reminder" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'reminder', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'title', old."title", 'kind', old."kind", 'about_kind', old."about_kind", 'about_id', old."about_id", 'start_on', old."start_on", 'due_on', old."due_on", 'due_time', old."due_time", 'rule', old."rule", 'from_done', old."from_done", 'lead', old."lead", 'snoozed_until', old."snoozed_until", 'state', old."state", 'notes', old."notes", 'person_id', old."person_id") FROM undo_now; END;
CREATE TRIGGER undo_stock_item_ai AFTER INSERT ON "stock_item" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'stock_item', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_stock_item_au AFTER UPDATE ON "stock_item" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'stock_item', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'name', old."name", 'unit', old."unit", 'quantity_milli', old."quantity_milli", 'reorder_milli', old."reorder_milli", 'buy_milli', old."buy_milli", 'lead_days', old."lead_days", 'asset_id', old."asset_id", 'category', old."category", 'vendor', old."vendor", 'notes', old."notes") FROM undo_now; END;
CREATE TRIGGER undo_stock_item_ad AFTER DELETE ON "stock_item" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'stock_item', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'name', old."name", 'unit', old."unit", 'quantity_milli', old."quantity_milli", 'reorder_milli', old."reorder_milli", 'buy_milli', old."buy_milli", 'lead_days', old."lead_days", 'asset_id', old."asset_id", 'category', old."category", 'vendor', old."vendor", 'notes', old."notes") FROM undo_now; END;
CREATE TRIGGER undo_stock_move_ai AFTER INSERT ON "stock_move" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'stock_move', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_stock_move_au AFTER UPDATE ON "stock_move" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'stock_move', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'item_id', old."item_id", 'occurred_on', old."occurred_on", 'kind', old."kind", 'delta_milli', old."delta_milli", 'txn_id', old."txn_id", 'notes', old."notes") FROM undo_now; END;
CREATE TRIGGER undo_stock_move_ad AFTER DELETE ON "stock_move" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'stock_move', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'item_id', old."item_id", 'occurred_on', old."occurred_on", 'kind', old."kind", 'delta_milli', old."delta_milli", 'txn_id', old."txn_id", 'notes', old."notes") FROM undo_now; END;
CREATE TRIGGER undo_subscription_ai AFTER INSERT ON "subscription" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'subscription', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_subscription_au AFTER UPDATE ON "subscription" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'subscription', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'name', old."name", 'amount_minor', old."amount_minor", 'currency', old."currency", 'rule', old."rule", 'anchor_on', old."anchor_on", 'next_on', old."next_on", 'category', old."category", 'account', old."account", 'asset_id', old."asset_id", 'cancel_by', old."cancel_by", 'status', old."status", 'cancelled_on', old."cancelled_on", 'notes', old."notes", 'payer_id', old."payer_id") FROM undo_now; END;
CREATE TRIGGER undo_subscription_ad AFTER DELETE ON "subscription" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'subscription', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'name', old."name", 'amount_minor', old."amount_minor", 'currency', old."currency", 'rule', old."rule", 'anchor_on', old."anchor_on", 'next_on', old."next_on", 'category', old."category", 'account', old."account", 'asset_id', old."asset_id", 'cancel_by', old."cancel_by", 'status', old."status", 'cancelled_on', old."cancelled_on", 'notes', old."notes", 'payer_id', old."payer_id") FROM undo_now; END;
CREATE TRIGGER undo_subscription_charge_ai AFTER INSERT ON "subscription_charge" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'subscription_charge', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_subscription_charge_au AFTER UPDATE ON "subscription_charge" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'subscription_charge', 'u', json_object('id', new."id"), json_object('id', old."id", 'subscription_id', old."subscription_id", 'due_on', old."due_on", 'paid_on', old."paid_on", 'amount_minor', old."amount_minor", 'currency', old."currency", 'estimated', old."estimated", 'txn_id', old."txn_id") FROM undo_now; END;
CREATE TRIGGER undo_subscription_charge_ad AFTER DELETE ON "subscription_charge" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'subscription_charge', 'd', json_object('id', old."id"), json_object('id', old."id", 'subscription_id', old."subscription_id", 'due_on', old."due_on", 'paid_on', old."paid_on", 'amount_minor', old."amount_minor", 'currency', old."currency", 'estimated', old."estimated", 'txn_id', old."txn_id") FROM undo_now; END;
CREATE TRIGGER undo_task_ai AFTER INSERT ON "task" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_task_au AFTER UPDATE ON "task" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'project_id', old."project_id", 'title', old."title", 'status', old."status", 'priority', old."priority", 'due_on', old."due_on", 'done_at', old."done_at", 'notes', old."notes", 'assignee_id', old."assignee_id") FROM undo_now; END;
CREATE TRIGGER undo_task_ad AFTER DELETE ON "task" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'created_by', old."created_by", 'updated_by', old."updated_by", 'project_id', old."project_id", 'title', old."title", 'status', old."status", 'priority', old."priority", 'due_on', old."due_on", 'done_at', old."done_at", 'notes', old."notes", 'assignee_id', old."assignee_id") FROM undo_now; END;
CREATE TRIGGER undo_task_dep_ai AFTER INSERT ON "task_dep" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task_dep', 'i', json_object('task_id', new."task_id", 'depends_on_id', new."depends_on_id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_task_dep_au AFTER UPDATE ON "task_dep" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task_dep', 'u', json_object('task_id', new."task_id", 'depends_on_id', new."depends_on_id"), json_object('task_id', old."task_id", 'depends_on_id', old."depends_on_id") FROM undo_now; END;
CREATE TRIGGER undo_task_dep_ad AFTER DELETE ON "task_dep" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task_dep', 'd', json_object('task_id', old."task_id", 'depends_on_id', old."depends_on_id"), json_object('task_id', old."task_id", 'depends_on_id', old."depends_on_id") FROM undo_now; END;
CREATE TRIGGER undo_task_tag_ai AFTER INSERT ON "task_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task_tag', 'i', json_object('task_id', new."task_id", 'tag', new."tag"), NULL FROM undo_now; END;
CREATE TRIGGER undo_task_tag_au AFTER UPDATE ON "task_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task_tag', 'u', json_object('task_id', new."task_id", 'tag', new."tag"), json_object('task_id', old."task_id", 'tag', old."tag") FROM undo_now; END;
CREATE TRIGGER undo_task_tag_ad AFTER DELETE ON "task_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'task_tag', 'd', json_object('task_id', old."task_id", 'tag', old."tag"), json_object('task_id', old."task_id", 'tag', old."tag") FROM undo_now; END;
CREATE TRIGGER undo_txn_ai AFTER INSERT ON "txn" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'txn', 'i', json_object('id', new."id"), NULL FROM undo_now; END;
CREATE TRIGGER undo_txn_au AFTER UPDATE ON "txn" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'txn', 'u', json_object('id', new."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'occurred_on', old."occurred_on", 'amount_minor', old."amount_minor", 'currency', old."currency", 'payee', old."payee", 'category', old."category", 'account', old."account", 'memo', old."memo", 'asset_id', old."asset_id", 'project_id', old."project_id", 'subscription_id', old."subscription_id", 'fingerprint', old."fingerprint", 'import_line', old."import_line", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_txn_ad AFTER DELETE ON "txn" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'txn', 'd', json_object('id', old."id"), json_object('id', old."id", 'uid', old."uid", 'created_at', old."created_at", 'updated_at', old."updated_at", 'occurred_on', old."occurred_on", 'amount_minor', old."amount_minor", 'currency', old."currency", 'payee', old."payee", 'category', old."category", 'account', old."account", 'memo', old."memo", 'asset_id', old."asset_id", 'project_id', old."project_id", 'subscription_id', old."subscription_id", 'fingerprint', old."fingerprint", 'import_line', old."import_line", 'created_by', old."created_by", 'updated_by', old."updated_by") FROM undo_now; END;
CREATE TRIGGER undo_txn_tag_ai AFTER INSERT ON "txn_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'txn_tag', 'i', json_object('txn_id', new."txn_id", 'tag', new."tag"), NULL FROM undo_now; END;
CREATE TRIGGER undo_txn_tag_au AFTER UPDATE ON "txn_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'txn_tag', 'u', json_object('txn_id', new."txn_id", 'tag', new."tag"), json_object('txn_id', old."txn_id", 'tag', old."tag") FROM undo_now; END;
CREATE TRIGGER undo_txn_tag_ad AFTER DELETE ON "txn_tag" WHEN EXISTS (SELECT 1 FROM undo_now) BEGIN INSERT INTO undo_row (step_id, table_name, op, key, before) SELECT step_id, 'txn_tag', 'd', json_object('txn_id', old."txn_id", 'tag', old."tag"), json_object('txn_id', old."txn_id", 'tag', old."tag") FROM undo_now; END;
INSERT INTO fts_asset_field(fts_asset_field) VALUES ('rebuild');
INSERT INTO fts_event(fts_event) VALUES ('rebuild');
INSERT INTO fts_txn(fts_txn) VALUES ('rebuild');
INSERT INTO fts_person(fts_person) VALUES ('rebuild');
INSERT INTO fts_loan(fts_loan) VALUES ('rebuild');
INSERT INTO fts_project(fts_project) VALUES ('rebuild');
INSERT INTO fts_task(fts_task) VALUES ('rebuild');
INSERT INTO fts_asset(fts_asset) VALUES ('rebuild');
INSERT INTO fts_incident(fts_incident) VALUES ('rebuild');
INSERT INTO fts_incident_step(fts_incident_step) VALUES ('rebuild');
INSERT INTO fts_playbook(fts_playbook) VALUES ('rebuild');
INSERT INTO fts_link(fts_link) VALUES ('rebuild');
INSERT INTO fts_stock_item(fts_stock_item) VALUES ('rebuild');
INSERT INTO alembic_version (version_num) VALUES ('0010');
