-- shelf catalog, version 4: indexes in the order the UI panes page through.
CREATE INDEX ix_review_queue ON review_items(-priority, confidence, id) WHERE status = 'pending';
-- The Assets pane filtered by kind, in path order, without walking every path.
CREATE INDEX ix_assets_kind_path ON assets(kind, collection_id, rel_path);
