-- 0009 → 0010 on a server database: incidents, playbooks, links and consumables (#25),
-- their search indexes and undo triggers, and an attachment's incident.
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
ALTER TABLE attachment ADD COLUMN incident_id BIGINT;
ALTER TABLE attachment ADD CONSTRAINT fk_attachment_incident_id_incident FOREIGN KEY(incident_id) REFERENCES incident (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE;
CREATE INDEX ix_attachment_incident_id ON attachment (incident_id);
CREATE INDEX fts_incident ON incident USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(symptom, '') || ' ' || coalesce(cause, '') || ' ' || coalesce(fix, '') || ' ' || coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_stock_item ON stock_item USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(name, '') || ' ' || coalesce(vendor, '') || ' ' || coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_incident_step ON incident_step USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(notes, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_link ON link USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(url, '') || ' ' || coalesce(title, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE INDEX fts_playbook ON playbook USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(brand, '') || ' ' || coalesce(model, '') || ' ' || coalesce(symptom, '') || ' ' || coalesce(cause, '') || ' ' || coalesce(fix, '') || ' ' || coalesce(steps, ''), '[!-/:-@[-`{-~]+', ' ', 'g')));
CREATE TRIGGER undo_incident_ud AFTER UPDATE OR DELETE ON incident FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_incident_ai AFTER INSERT ON incident REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_stock_item_ud AFTER UPDATE OR DELETE ON stock_item FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_stock_item_ai AFTER INSERT ON stock_item REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_incident_step_ud AFTER UPDATE OR DELETE ON incident_step FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_incident_step_ai AFTER INSERT ON incident_step REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_link_ud AFTER UPDATE OR DELETE ON link FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_link_ai AFTER INSERT ON link REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_playbook_ud AFTER UPDATE OR DELETE ON playbook FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_playbook_ai AFTER INSERT ON playbook REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_incident_txn_ud AFTER UPDATE OR DELETE ON incident_txn FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('incident_id', 'txn_id');
CREATE TRIGGER undo_incident_txn_ai AFTER INSERT ON incident_txn REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('incident_id', 'txn_id');
CREATE TRIGGER undo_stock_move_ud AFTER UPDATE OR DELETE ON stock_move FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_stock_move_ai AFTER INSERT ON stock_move REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
