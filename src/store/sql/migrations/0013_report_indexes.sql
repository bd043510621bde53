-- What the reports read by period, from indexes: dossiers by the time received, the steps that resolved a
-- dossier by their time, forms 04 by dossier (0012), ratings by time (0010), tickets by time taken (0011).
CREATE INDEX dossier_received ON dossier (received_ms);
CREATE INDEX dossier_event_resolved ON dossier_event (at_ms, dossier_id) WHERE status IN (9, 10);
