-- 0008 → 0009 on a server database: category kinds and the undo journal, with its
-- trigger functions and a trigger on every journaled table (see store/undo.py).
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
CREATE TRIGGER undo_attachment_ud AFTER UPDATE OR DELETE ON attachment FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_attachment_ai AFTER INSERT ON attachment REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_loan_ud AFTER UPDATE OR DELETE ON loan FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_loan_ai AFTER INSERT ON loan REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_maintenance_schedule_ud AFTER UPDATE OR DELETE ON maintenance_schedule FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_maintenance_schedule_ai AFTER INSERT ON maintenance_schedule REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_meter_reading_ud AFTER UPDATE OR DELETE ON meter_reading FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_meter_reading_ai AFTER INSERT ON meter_reading REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_project_asset_ud AFTER UPDATE OR DELETE ON project_asset FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('project_id', 'asset_id');
CREATE TRIGGER undo_project_asset_ai AFTER INSERT ON project_asset REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('project_id', 'asset_id');
CREATE TRIGGER undo_subscription_ud AFTER UPDATE OR DELETE ON subscription FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_subscription_ai AFTER INSERT ON subscription REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_task_dep_ud AFTER UPDATE OR DELETE ON task_dep FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('task_id', 'depends_on_id');
CREATE TRIGGER undo_task_dep_ai AFTER INSERT ON task_dep REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('task_id', 'depends_on_id');
CREATE TRIGGER undo_task_tag_ud AFTER UPDATE OR DELETE ON task_tag FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('task_id', 'tag');
CREATE TRIGGER undo_task_tag_ai AFTER INSERT ON task_tag REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('task_id', 'tag');
CREATE TRIGGER undo_txn_ud AFTER UPDATE OR DELETE ON txn FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_txn_ai AFTER INSERT ON txn REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_event_ud AFTER UPDATE OR DELETE ON event FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_event_ai AFTER INSERT ON event REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_subscription_charge_ud AFTER UPDATE OR DELETE ON subscription_charge FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('id');
CREATE TRIGGER undo_subscription_charge_ai AFTER INSERT ON subscription_charge REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('id');
CREATE TRIGGER undo_txn_tag_ud AFTER UPDATE OR DELETE ON txn_tag FOR EACH ROW EXECUTE FUNCTION stuffctl_undo_row('txn_id', 'tag');
CREATE TRIGGER undo_txn_tag_ai AFTER INSERT ON txn_tag REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stuffctl_undo_added('txn_id', 'tag');
