-- Confidences and job progress are f64 in the application; REAL (float4) does not decode as f64.
ALTER TABLE tags ALTER COLUMN confidence TYPE DOUBLE PRECISION;
ALTER TABLE tag_history ALTER COLUMN confidence TYPE DOUBLE PRECISION;
ALTER TABLE jobs ALTER COLUMN progress TYPE DOUBLE PRECISION;
