DROP TABLE window_requests;
DROP TABLE eligibility_certifications;
DROP TABLE login_failures;
DROP TABLE staff_sessions;
DROP TABLE staff;
