-- What the enforcement point applied for each permit (described, no PHI), for explanations and audit.
ALTER TABLE decision_log ADD COLUMN obligations VARCHAR(2000);
