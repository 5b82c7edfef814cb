-- 0005 → 0006 on a server database: who wrote each row, a person's login, a task's
-- assignee (see versions/0006_people.py, which does the same to a SQLite file).
-- Run by store.postgres.migrate in the transaction that records the revision.
ALTER TABLE asset ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE attachment ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE budget ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE event ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE goal ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE loan ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE maintenance_schedule ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE meter_reading ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE occurrence ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE person ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE project ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE reminder ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE subscription ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE task ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE txn ADD COLUMN created_by VARCHAR COLLATE "C", ADD COLUMN updated_by VARCHAR COLLATE "C";
ALTER TABLE person ADD COLUMN login VARCHAR COLLATE "C";
CREATE UNIQUE INDEX ix_person_login ON person (login);
ALTER TABLE task ADD COLUMN assignee_id BIGINT CONSTRAINT fk_task_assignee_id_person REFERENCES person (id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE;
CREATE INDEX ix_task_assignee_id ON task (assignee_id);
