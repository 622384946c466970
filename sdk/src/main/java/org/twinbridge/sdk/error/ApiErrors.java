package org.twinbridge.sdk.error;

/**
 * Admin API errors (TB-API): the HTTP admin API's problems, authentication and the routes it serves.
 * Part of the {@link ErrorCatalogue}; a constant's name is its code without the {@code TB-} prefix.
 */
public enum ApiErrors implements ErrorCode {
    API_001("TB-API-001",
            "Information: the admin API started and is listening on the logged address, trusting the logged "
                    + "token issuer.",
            "Nothing to do; check the address and issuer are the ones you configured under 'api'."),
    API_002("TB-API-002",
            "A request failed inside the node with an unexpected exception; the client got HTTP 500 and the "
                    + "node log names the exception class.",
            "Look up the logged exception class in the node log around that time and report it if it repeats."),
    API_003("TB-API-003",
            "The admin API cannot listen on the configured address and port (api.bind, api.port), usually "
                    + "because the port is taken or the address is not local.",
            "Free the port or change api.bind/api.port, then start the node again."),
    API_004("TB-API-004",
            "The admin API's TLS keystore or truststore (api.tls) cannot be read: the file is missing, is not "
                    + "PKCS#12, its password is wrong, or the keystore holds no private key.",
            "Check api.tls.keystore / api.tls.truststore and their password files; list the store with 'keytool "
                    + "-list -storetype PKCS12 -keystore <file>'. The node does not start the API without it."),
    API_005("TB-API-005",
            "The request named a path the admin API does not serve (HTTP 404).",
            "Check the path against docs/api.md or the OpenAPI document."),
    API_006("TB-API-006",
            "The path exists but does not take this HTTP method (HTTP 405).",
            "Use a method the route allows, as listed in docs/api.md."),
    API_007("TB-API-007",
            "The caller sent more requests per minute than the API allows for one subject (HTTP 429).",
            "Wait for the Retry-After seconds before retrying, or slow the client down."),
    API_008("TB-API-008",
            "The request's Content-Length header is not a number (HTTP 400, answered by the HTTP layer).",
            "Send a valid Content-Length, or let the HTTP client set it."),
    API_009("TB-API-009",
            "The request body is larger than api.max-request-bytes (HTTP 413).",
            "Send a smaller body, or raise api.max-request-bytes if the size is legitimate."),
    API_010("TB-API-010",
            "The request body is not a JSON object, or not valid JSON at all (HTTP 400).",
            "Send a JSON object with Content-Type application/json."),
    API_011("TB-API-011",
            "The caller's address failed to authenticate too often in the last minute, so further requests are refused (HTTP 429) until the Retry-After time.",
            "Fix the client's token or credentials, wait for the Retry-After time, and raise api.auth-failures-per-minute only if many users share one address."),
    API_012("TB-API-012",
            "The HTTP layer refused the request before the API saw it (HTTP 400 or 431): a malformed request "
                    + "line, URI or header, or headers that are too large (over 32 KiB).",
            "Send a well-formed HTTP/1.1 request; let the HTTP client build the headers."),
    API_020("TB-API-020",
            "The request carries no bearer access token (HTTP 401).",
            "Get an access token from the configured issuer and send it as 'Authorization: Bearer <token>'."),
    API_021("TB-API-021",
            "The bearer token was rejected: it is not a JWT, its signature, issuer, audience, type or "
                    + "lifetime is wrong, or it has no subject (HTTP 401); the detail names which.",
            "Get a fresh access token from the configured issuer for the configured audience."),
    API_030("TB-API-030",
            "The token is valid but its roles do not include one the route needs (HTTP 403).",
            "Grant the caller one of the listed roles in the identity provider (see api.roles), or call as a "
                    + "user who has it."),
    API_040("TB-API-040",
            "The bearer token is not a compact JWT (three dot-separated parts).",
            "Send the access token itself, not an ID token, refresh token or opaque token."),
    API_041("TB-API-041",
            "The token failed verification: bad signature, wrong issuer or audience, disallowed algorithm, or "
                    + "outside its validity time.",
            "Get a new access token from the configured issuer for audience api.oidc.audience; check the "
                    + "node's clock."),
    API_042("TB-API-042",
            "The token's 'typ' says it is not an access token (for example an ID or refresh token).",
            "Send an access token."),
    API_043("TB-API-043",
            "The token has no subject ('sub'), so the call could not be attributed in the audit trail.",
            "Configure the identity provider to put a subject in access tokens."),
    API_044("TB-API-044",
            "The token names a signing key the issuer does not publish, even after the node refetched the "
                    + "issuer's keys.",
            "Get a new token; if this persists, check that api.oidc.issuer is the issuer that signed it."),
    API_050("TB-API-050",
            "The identity provider could not be reached to verify a token, so the request was refused (HTTP "
                    + "503); the detail has the TB-API-05x cause.",
            "Check that the issuer is up and reachable from the node, then retry."),
    API_052("TB-API-052",
            "The issuer's OpenID discovery document could not be fetched (an HTTP error status, an I/O error "
                    + "or an interruption).",
            "Check api.oidc.issuer and that the issuer's /.well-known/openid-configuration is reachable from "
                    + "the node."),
    API_053("TB-API-053",
            "The issuer's discovery document names a different issuer than api.oidc.issuer.",
            "Set api.oidc.issuer to exactly the issuer the identity provider announces (scheme, host, port and path)."),
    API_054("TB-API-054",
            "The issuer's discovery document has no jwks_uri, or one that is not a URL, so its signing keys "
                    + "cannot be found.",
            "Fix the identity provider's configuration so its discovery document publishes a jwks_uri."),
    API_055("TB-API-055",
            "The issuer's signing keys (JWKS) could not be fetched.",
            "Check that the issuer's jwks_uri is reachable from the node, then retry."),
    API_056("TB-API-056",
            "The console's login settings (/console/config.json) could not be made: the issuer's discovery document "
                    + "was unreachable, named another issuer, or lacked its authorization or token endpoint (HTTP 503).",
            "Check that api.oidc.issuer answers its discovery document from the node, then reload the console."),
    API_060("TB-API-060",
            "The policy version named in the path does not exist, or is not a version number (versions are 1, 2, ...).",
            "List the versions with GET /api/v1/policies and use one of their numbers."),
    API_061("TB-API-061",
            "A JSON policy upload is not shaped as {\"files\": {\"name.yaml\": \"text\", ...}} with string contents.",
            "Send {\"files\": {...}} with each file's YAML text as a string, or upload one policy.yaml as "
                    + "application/yaml."),
    API_062("TB-API-062",
            "A policy upload has a content type other than application/yaml or application/json (HTTP 415).",
            "Upload one policy.yaml as application/yaml, or several files as application/json {\"files\": {...}}."),
    API_063("TB-API-063",
            "A file name in a policy upload is not allowed.",
            "Use plain names of letters, digits, '.', '_' and '-' that end in .yaml, such as policy.yaml."),
    API_064("TB-API-064",
            "The uploaded policy set does not load; the response lists each error with its file, line and "
                    + "code, and nothing was stored (HTTP 422).",
            "Fix the listed errors (try 'twinbridge policy validate' locally) and upload again."),
    API_065("TB-API-065",
            "Activation was asked of a node that has no policy directory (policies.dir), so a version cannot "
                    + "be made active.",
            "Configure policies.dir to activate versions; uploads and explanations work without it."),
    API_066("TB-API-066",
            "A rollback was asked but no earlier version was ever activated.",
            "Activate the version you want with its own activate call instead."),
    API_067("TB-API-067",
            "A policy explain request does not have the expected fields.",
            "Send {\"plugin\": id, \"purpose\": a PurposeOfUse code, \"record\": a FHIR R4 resource, "
                    + "\"consentGiven\": true or false}."),
    API_068("TB-API-068",
            "The 'record' of a policy explain request is not a FHIR R4 resource.",
            "Send a FHIR R4 resource in JSON, with its resourceType, as 'record'."),
    API_069("TB-API-069",
            "The node's policy tests (tests/ in policies.dir) could not run against the version: a test file is "
                    + "malformed or the version does not load (HTTP 422 with located errors).",
            "Fix the test file at the file:line:column given (run 'twinbridge policy test' on the directory), then "
                    + "run the tests again."),
    API_070("TB-API-070",
            "The patient query parameter is missing or not in a form the node understands.",
            "Give ?patient=system|value (a business identifier) or ?patient=connector:Patient/id, URL-encoded."),
    API_071("TB-API-071",
            "No patient is known to this node by the given identifier.",
            "Check the identifier system and value, or the connector and source-local id."),
    API_072("TB-API-072",
            "The patient has no consent with the given id, or no current version of it.",
            "List the patient's consents and use one of their ids."),
    API_073("TB-API-073",
            "A consent upload's body is not a FHIR R4 Consent in JSON.",
            "Send a FHIR R4 Consent resource in JSON."),
    API_074("TB-API-074",
            "The Consent's id differs from the id in the request path.",
            "Make the Consent's id and the path's id the same."),
    API_075("TB-API-075",
            "The 'connector' named for resolving the consent's patient reference is not a connector of this node.",
            "Name one of the node's configured connector ids, or give Consent.patient an identifier."),
    API_076("TB-API-076",
            "The Consent is well-formed FHIR but cannot be registered, for example because whose consent it "
                    + "is cannot be told (HTTP 422); the detail says why.",
            "Fix what the detail names, usually by giving Consent.patient.identifier, and send it again."),
    API_077("TB-API-077",
            "An erasure request does not name the patient.",
            "Send {\"patient\": \"system|value\"} or {\"patient\": \"connector:Patient/id\"}."),
    API_080("TB-API-080",
            "The audit query's 'since' is not an instant.",
            "Give an ISO 8601 instant such as 2026-11-29T10:00:00Z."),
    API_081("TB-API-081",
            "The audit query's 'limit' is outside the allowed range.",
            "Give a limit from 1 to the maximum the error names."),
    API_082("TB-API-082",
            "The audit query's 'consent' is not a consent id.",
            "Give the consent's id as GET /api/v1/consents lists it, such as Consent/abc (or just abc)."),
    API_090("TB-API-090",
            "No loaded plugin has the id in the path.",
            "List the plugins with GET /api/v1/plugins and use one of their ids."),
    API_095("TB-API-095",
            "No connector has the id in the path on this node.",
            "List the connectors with GET /api/v1/connectors and use one of their ids."),
    API_096("TB-API-096",
            "The dead-letter id in the path is not P-<number> (a parked plugin delivery) or C-<number> (a connector "
                    + "dead letter) (HTTP 404).",
            "List the dead letters with GET /api/v1/deadletters and use one of their ids."),
    API_097("TB-API-097",
            "The dead letter cannot be replayed or dropped as asked: it is unknown, already resolved, a connector "
                    + "dead letter asked to replay, or its plugin is not loaded (HTTP 409); the detail has the "
                    + "TB-DEADLETTER reason.",
            "Follow the TB-DEADLETTER code in the detail (docs/errors.md), e.g. drop a connector dead letter after "
                    + "the sender resent it."),
    API_100("TB-API-100",
            "Twin outputs were asked for a purpose other than TREAT; they re-identify the patient, so they "
                    + "are shown for treatment only (HTTP 403).",
            "Ask with ?purpose=TREAT, as a user entitled to treatment access.");

    private final Entry entry;

    ApiErrors(String code, String meaning, String fix) {
        this.entry = new Entry(code, meaning, fix);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
