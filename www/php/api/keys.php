<?php
namespace ConsentForm;

// The form's key-url: a signing key for this visitor's session.
require __DIR__ . '/../lib/endpoint.php';

header('Content-Type: application/json');
header('Cache-Control: no-store');
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    exit('{"error":"method_not_allowed"}');
}
limit_rate();
start_key_session();
echo json_encode(issue_key(time()), JSON_UNESCAPED_SLASHES);
