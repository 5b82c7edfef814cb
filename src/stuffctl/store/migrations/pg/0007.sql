-- 0006 → 0007 on a server database: the edit journal (see versions/0007_change_journal.py).
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
