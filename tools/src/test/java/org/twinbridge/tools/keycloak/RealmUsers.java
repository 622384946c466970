package org.twinbridge.tools.keycloak;

import org.twinbridge.testkit.KeycloakServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/** People in a test realm of {@link KeycloakServer}: users with realm roles, and tokens for them. */
final class RealmUsers {

    private RealmUsers() {
    }

    /** Creates a user with a complete profile (so a browser login asks for nothing more); returns its id. */
    static String create(RealmResource realm, String username, String secret, List<String> roles) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmailVerified(true);
        user.setEmail(username + "@hospital.example");
        user.setFirstName("Test");
        user.setLastName(username);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(secret);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        realm.users().create(user).close();
        String id = realm.users().search(username, true).get(0).getId();
        if (!roles.isEmpty()) {
            realm.users().get(id).roles().realmLevel().add(roles.stream()
                    .map(r -> realm.roles().get(r).toRepresentation()).toList());
        }
        return id;
    }

    /** A public client that may use the password grant: how tests get tokens without a browser. */
    static void passwordGrantClient(RealmResource realm, String clientId) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setPublicClient(true);
        client.setDirectAccessGrantsEnabled(true);
        client.setStandardFlowEnabled(false);
        realm.clients().create(client).close();
    }

    /** An access token for the user, by the password grant through {@code clientId}. */
    static String token(String realm, String clientId, String username, String secret) throws Exception {
        String form = "grant_type=password&client_id=" + clientId + "&username=" + username + "&password="
                + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&scope=openid";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                KeycloakServer.URL + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).path("access_token").asText();
    }
}
