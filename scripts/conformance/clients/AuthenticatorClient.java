// JDK's java.net.http.HttpClient with an Authenticator set, as a Java SDK that supports proxy or server
// authentication configures it. On a 401 that client reads WWW-Authenticate: without one it throws
// "IOException: WWW-Authenticate header missing for response code 401" instead of returning the response;
// with a scheme other than Basic it returns the 401 to the application.
//
//   java AuthenticatorClient.java BASE_URL [NAMESPACE]
//
// Sends each request below once (with X-Mock-Namespace: NAMESPACE when given) and prints one line per request, tab-separated:
//   <label> <status> <WWW-Authenticate or -> <body>      when a response came back
//   <label> EXCEPTION <class>: <message>                  when the client threw
// Exit status 0 whatever the answers (the caller judges), 2 for bad arguments.
import java.io.IOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

public class AuthenticatorClient {
    public static void main(String[] arguments) throws InterruptedException {
        if (arguments.length < 1 || arguments.length > 2) {
            System.err.println("usage: java AuthenticatorClient.java BASE_URL [NAMESPACE]");
            System.exit(2);
        }
        String base = arguments[0];
        HttpClient client = HttpClient.newBuilder()
                .authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        return new PasswordAuthentication("user", "password".toCharArray());
                    }
                })
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        // Label, path, then header name/value pairs. With an Authenticator set, the JDK drops an
        // Authorization header the application sets (the Authenticator owns that header), so an
        // OpenRouter request from this client never carries its Bearer token: every one is a missing key.
        String[][] requests = {
            {"openrouter-no-key", "/api/v1/workspaces"},
            {"openrouter-bearer-dropped", "/api/v1/workspaces", "Authorization", "Bearer sk-or-v1-mock-management"},
            {"portkey-no-key", "/v1/admin/workspaces"},
            {"portkey-unknown-key", "/v1/admin/workspaces", "x-portkey-api-key", "pk-unknown"},
            {"portkey-forced", "/v1/admin/workspaces", "x-portkey-api-key", "pk-mock-admin", "Prefer", "code=401"},
        };
        for (String[] request : requests) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request[1]))
                    .timeout(Duration.ofSeconds(10));
            if (arguments.length == 2) builder.header("X-Mock-Namespace", arguments[1]);
            for (int header = 2; header + 1 < request.length; header += 2) {
                builder.header(request[header], request[header + 1]);
            }
            try {
                HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                String challenge = response.headers().firstValue("WWW-Authenticate").orElse("-");
                System.out.println(request[0] + "\t" + response.statusCode() + "\t" + challenge + "\t" + response.body());
            } catch (IOException error) {
                System.out.println(request[0] + "\tEXCEPTION\t" + error.getClass().getName() + ": " + error.getMessage());
            }
        }
    }
}
