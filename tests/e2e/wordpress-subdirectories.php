<?php
// Router for `php -S` serving a WordPress multisite network on subdirectories
// (example.test/hai/): what the rewrite rules WordPress gives such a network for its
// .htaccess do, since the built-in server has none.
//
//   /hai/wp-admin              redirected to /hai/wp-admin/
//   an existing file           as it is
//   /hai/wp-(admin|includes|content)…, /hai/….php
//                              the same path without the site's part
//   anything else              index.php (WordPress finds the site by the path)

$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
$root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');

if (preg_match('#^/[_0-9a-zA-Z-]+/wp-admin$#', $path)) {
    header('Location: ' . $path . '/', true, 301);
    return true;
}
if ($path !== '/' && file_exists($root . $path)) {
    return false;
}
if (preg_match('#^/[_0-9a-zA-Z-]+(/wp-(?:admin|includes|content).*|/.*\.php)$#', $path, $m)) {
    $target = $m[1];
} else {
    $target = '/index.php';
}
$file = $root . $target;
if (is_dir($file)) {
    $target = rtrim($target, '/') . '/index.php';
    $file = $root . $target;
}
if (!is_file($file)) {
    http_response_code(404);
    return true;
}
if (substr($file, -4) !== '.php') {
    $types = ['js' => 'text/javascript', 'mjs' => 'text/javascript', 'wasm' => 'application/wasm', 'css' => 'text/css', 'svg' => 'image/svg+xml', 'png' => 'image/png', 'json' => 'application/json'];
    header('Content-Type: ' . ($types[pathinfo($file, PATHINFO_EXTENSION)] ?? 'application/octet-stream'));
    readfile($file);
    return true;
}
$_SERVER['SCRIPT_FILENAME'] = $file;
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = $target;
chdir(dirname($file));
require $file;
