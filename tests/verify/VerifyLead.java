// Standard Webhooks, checked with the JDK alone (Java 17+); the body's JSON with Jackson.

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class VerifyLead {
    /** No valid signature, or a timestamp out of time: answer 401. */
    public static final class SignatureException extends Exception {
        public SignatureException(String message) { super(message); }
    }

    /** Signed, but not a payload whose id is the webhook-id: answer 400. */
    public static final class PayloadException extends Exception {
        public PayloadException(String message, Throwable cause) { super(message, cause); }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private VerifyLead() {}

    /**
     * secret: the whsec_… key the form signed with; header: a header's value by name, in
     * any case, or null (request::getHeader, HttpHeaders::getFirst); rawBody: the body's
     * bytes exactly as received. Throws SignatureException (answer 401) or
     * PayloadException (400).
     */
    public static JsonNode verifyLead(String secret, Function<String, String> header, byte[] rawBody)
            throws SignatureException, PayloadException {
        verifyWebhook(secret, header, rawBody, System.currentTimeMillis() / 1000);
        JsonNode payload;
        try {
            payload = JSON.readTree(rawBody); // decodes the bytes as UTF-8 itself
        } catch (JsonProcessingException e) { // also bytes that are not UTF-8
            throw new PayloadException("the body is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PayloadException("the body is not JSON: " + e.getMessage(), e);
        }
        if (payload == null || !payload.isObject()) {
            throw new PayloadException("the body is not a JSON object", null);
        }
        JsonNode id = payload.get("id");
        if (id == null || !id.isTextual() || !id.textValue().equals(header.apply("webhook-id"))) {
            throw new PayloadException("the payload id differs from the webhook-id header", null);
        }
        return payload; // store it once per id; answer a repeated id 2xx again
    }

    /**
     * Checks the HMAC-SHA256 signature (key: the whsec_… secret) over
     * "{webhook-id}.{webhook-timestamp}.{raw body}" and that the timestamp is within
     * 5 minutes of now (Unix seconds). A whpk_… public key checks v1a (Ed25519) instead.
     */
    public static void verifyWebhook(String secret, Function<String, String> header, byte[] rawBody, long now)
            throws SignatureException {
        String id = header.apply("webhook-id");
        String timestamp = header.apply("webhook-timestamp");
        String signatures = header.apply("webhook-signature");
        if (id == null || id.isEmpty() || timestamp == null || !timestamp.matches("[0-9]{1,12}")
                || signatures == null || signatures.isEmpty()) {
            throw new SignatureException("missing or malformed webhook-id, webhook-timestamp or webhook-signature");
        }
        if (Math.abs(now - Long.parseLong(timestamp)) > 300) {
            throw new SignatureException("the timestamp is more than 5 minutes from now");
        }
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + rawBody.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(rawBody, 0, signed, prefix.length, rawBody.length);
        boolean asymmetric = secret.startsWith("whpk_");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.replaceFirst("^wh(sec|pk)_", ""));
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length == 0 || (asymmetric && key.length != 32)) {
            throw new SignatureException("the secret is not whsec_ (or whpk_) followed by base64");
        }
        try {
            byte[] expected = null;
            Signature ed25519 = null;
            if (asymmetric) { // the 32-byte key after the DER header of an Ed25519 SubjectPublicKeyInfo
                byte[] spki = Arrays.copyOf(Base64.getDecoder().decode("MCowBQYDK2VwAyEA"), 44);
                System.arraycopy(key, 0, spki, 12, 32);
                ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            } else {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                expected = mac.doFinal(signed);
            }
            for (String candidate : signatures.split(" ")) {
                int comma = candidate.indexOf(',');
                if (comma < 0) continue;
                String version = candidate.substring(0, comma);
                byte[] signature;
                try {
                    signature = Base64.getDecoder().decode(candidate.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue; // not base64: not a match
                }
                if (!asymmetric && version.equals("v1") && MessageDigest.isEqual(expected, signature)) {
                    return; // MessageDigest.isEqual takes the same time wherever the bytes differ
                }
                if (asymmetric && version.equals("v1a") && signature.length == 64) {
                    ed25519.update(signed);
                    try {
                        if (ed25519.verify(signature)) return;
                    } catch (java.security.SignatureException e) {
                        continue; // not an Ed25519 signature: not a match
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new SignatureException("cannot check the signature: " + e.getMessage());
        }
        throw new SignatureException("no signature matches");
    }
}
