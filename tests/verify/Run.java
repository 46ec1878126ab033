// Test harness for VerifyLead.java (receiver/tests/verify_samples.rs runs it).
// stdin: one JSON input per line, {"secret", "headers", "body" or "body_hex"} and, to
// check a signature alone at a given time, "now"; stdout: one line per input,
// "200 <id>" ("200 signed" with "now"), "401 <why>" or "400 <why>".
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

public final class Run {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            JsonNode input = json.readTree(line);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            input.get("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            // The body as an HTTP server hands it over: its UTF-8 bytes ("body_hex": any bytes).
            byte[] body = input.has("body_hex")
                    ? java.util.HexFormat.of().parseHex(input.get("body_hex").asText())
                    : input.get("body").asText().getBytes(StandardCharsets.UTF_8);
            String secret = input.get("secret").asText();
            try {
                if (input.has("now")) {
                    VerifyLead.verifyWebhook(secret, headers::get, body, input.get("now").asLong());
                    out.println("200 signed");
                } else {
                    out.println("200 " + VerifyLead.verifyLead(secret, headers::get, body).get("id").asText());
                }
            } catch (VerifyLead.SignatureException e) {
                out.println("401 " + e.getMessage());
            } catch (VerifyLead.PayloadException e) {
                out.println("400 " + e.getMessage());
            }
        }
    }
}
