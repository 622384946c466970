package org.twinbridge.connector.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.client.api.BaseHttpRequest;
import ca.uhn.fhir.rest.client.api.Header;
import ca.uhn.fhir.rest.client.api.IHttpClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.apache.BaseHttpClient;
import ca.uhn.fhir.rest.client.impl.BaseHttpResponse;
import ca.uhn.fhir.rest.client.impl.RestfulClientFactory;
import ca.uhn.fhir.util.StopWatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * HAPI FHIR's client transport over {@link FhirHttp}: every request HAPI's {@code IGenericClient} makes is sent
 * with the connector's fault handling (timeouts, retries, {@code Retry-After}, the circuit breaker, no redirects).
 * A request that fails for good reaches HAPI as an {@link IOException} carrying the {@link FhirCallException},
 * which {@link FhirClient} unwraps. The last 2xx answer on the calling thread is kept, so that the connector reads
 * the page as the server sent it (HAPI's parse of it is lenient and would drop an entry's invalid values). Server
 * validation ({@code /metadata} before the first request) is off: the connector checks nothing it would act on.
 *
 * <p>A {@link Call} may ask for two things HAPI's client has no words for: the body written to a file rather than
 * held in memory (a bulk export's NDJSON file can be gigabytes), and the request sent without credentials, over
 * the credential-less {@link FhirHttp} and with any {@code Authorization} header HAPI's interceptors added taken
 * off (a bulk export file that does not require the access token may live on another host, which must not see it).
 */
final class FhirHttpTransport extends RestfulClientFactory {

    /** Headers the JDK client sets itself, and compression, which it does not undo. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "accept-encoding");
    private final FhirHttp http;
    private final FhirHttp anonymousHttp;
    private final ThreadLocal<Call> current = new ThreadLocal<>();

    /**
     * One use of the client: what it is for (for logs), whether it goes without credentials, where its body goes,
     * and the 2xx answer it got (with an empty body when the body went to a file).
     */
    static final class Call {
        private final String purpose;
        private final boolean anonymous;
        private final Path target;
        private FhirHttp.Answer<byte[]> answer;

        private Call(String purpose, boolean anonymous, Path target) {
            this.purpose = purpose;
            this.anonymous = anonymous;
            this.target = target;
        }

        /** The last 2xx answer of this call, if it got one. */
        Optional<FhirHttp.Answer<byte[]>> answer() {
            return Optional.ofNullable(answer);
        }
    }

    /** A request failed for good; HAPI's client passes IOExceptions on as their cause. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(FhirCallException cause) {
            super(cause.getMessage(), cause);
        }

        FhirCallException call() {
            return (FhirCallException) getCause();
        }
    }

    /**
     * @param http          sends the client's requests, with the connector's credentials
     * @param anonymousHttp sends the requests of an {@linkplain #beginDownload anonymous} call
     */
    FhirHttpTransport(FhirContext context, FhirHttp http, FhirHttp anonymousHttp) {
        super(context);
        this.http = http;
        this.anonymousHttp = anonymousHttp;
        setServerValidationMode(ServerValidationModeEnum.NEVER);
    }

    /** Starts a use of the client on this thread; {@link #end()} must follow. */
    Call begin(String purpose) {
        return begin(new Call(purpose, false, null));
    }

    /**
     * Starts a use of the client on this thread whose 2xx body is written to {@code target}, sent without
     * credentials if {@code anonymous}; {@link #end()} must follow.
     */
    Call beginDownload(String purpose, boolean anonymous, Path target) {
        return begin(new Call(purpose, anonymous, target));
    }

    private Call begin(Call call) {
        current.set(call);
        return call;
    }

    void end() {
        current.remove();
    }

    @Override
    public IHttpClient getHttpClient(StringBuilder url, Map<String, List<String>> ifNoneExistParams,
            String ifNoneExistString, RequestTypeEnum requestType, List<Header> headers) {
        return new Client(url, ifNoneExistParams, ifNoneExistString, requestType, headers);
    }

    @Override
    protected IHttpClient getHttpClient(String serverBase) {
        return new Client(new StringBuilder(serverBase), null, null, RequestTypeEnum.GET, new ArrayList<>());
    }

    @Override
    protected void resetHttpClient() {
        // Nothing is pooled here: FhirHttp owns the connections.
    }

    /**
     * Refused, deliberately. HAPI's factory lets a caller swap its HTTP client; this factory exists so that every
     * request goes through {@link FhirHttp}, and a swapped client would silently lose the retries, the breaker and
     * the redirect rule. The connector never calls it.
     */
    @Override
    public <T> void setHttpClient(T client) {
        throw new UnsupportedOperationException("the connector's HTTP client is FhirHttp; it cannot be replaced");
    }

    /**
     * Refused, deliberately: the connector has no proxy setting (docs/operators.md says so), and a proxy set here
     * would bypass nothing but also configure nothing, since {@link FhirHttp} opens the connections.
     */
    @Override
    public void setProxy(String host, Integer port) {
        throw new UnsupportedOperationException("the FHIR connector does not support an HTTP proxy");
    }

    private final class Client extends BaseHttpClient {

        Client(StringBuilder url, Map<String, List<String>> ifNoneExistParams, String ifNoneExistString,
                RequestTypeEnum requestType, List<Header> headers) {
            super(url, ifNoneExistParams, ifNoneExistString, requestType, headers);
        }

        @Override
        protected IHttpRequest createHttpRequest() {
            return new Request(myUrl.toString(), myRequestType.name(), null);
        }

        @Override
        protected IHttpRequest createHttpRequest(byte[] content) {
            return new Request(myUrl.toString(), myRequestType.name(), content);
        }

        @Override
        protected IHttpRequest createHttpRequest(Map<String, List<String>> params) {
            String form = params.entrySet().stream().flatMap(e -> e.getValue().stream()
                    .map(v -> encode(e.getKey()) + "=" + encode(v))).collect(Collectors.joining("&"));
            Request request = new Request(myUrl.toString(), myRequestType.name(),
                    form.getBytes(StandardCharsets.UTF_8));
            request.addHeader("Content-Type", "application/x-www-form-urlencoded");
            return request;
        }

        @Override
        protected IHttpRequest createHttpRequest(String content) {
            return new Request(myUrl.toString(), myRequestType.name(), content.getBytes(StandardCharsets.UTF_8));
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    private final class Request extends BaseHttpRequest {
        private final String method;
        private final byte[] body;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private String uri;

        Request(String uri, String method, byte[] body) {
            this.uri = uri;
            this.method = method;
            this.body = body;
        }

        @Override
        public void addHeader(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }

        @Override
        public void removeHeaders(String name) {
            headers.keySet().removeIf(n -> n.equalsIgnoreCase(name));
        }

        @Override
        public Map<String, List<String>> getAllHeaders() {
            return Map.copyOf(headers);
        }

        @Override
        public String getRequestBodyFromStream() {
            return body == null ? null : new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String getUri() {
            return uri;
        }

        @Override
        public void setUri(String uri) {
            this.uri = uri;
        }

        @Override
        public String getHttpVerbName() {
            return method;
        }

        @Override
        public IHttpResponse execute() throws IOException {
            Call call = current.get();
            boolean anonymous = call != null && call.anonymous;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).method(method, body == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                // An anonymous call drops what HAPI's auth interceptors added: it may go to another host.
                if (!NOT_FORWARDED.contains(lower) && !(anonymous && lower.equals("authorization"))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            String purpose = call == null ? method + " FHIR request" : call.purpose;
            FhirHttp sender = anonymous ? anonymousHttp : http;
            StopWatch watch = new StopWatch();
            try {
                if (call != null && call.target != null) {
                    FhirHttp.Answer<Path> answer = sender.send(purpose, request,
                            HttpResponse.BodyHandlers.ofFile(call.target));
                    call.answer = new FhirHttp.Answer<>(answer.status(), answer.headers(), new byte[0]);
                    Path file = answer.body();
                    return new Response(call.answer, () -> Files.newInputStream(file), watch);
                }
                FhirHttp.Answer<byte[]> answer = sender.send(purpose, request,
                        HttpResponse.BodyHandlers.ofByteArray());
                if (call != null) {
                    call.answer = answer;
                }
                return new Response(answer, () -> new ByteArrayInputStream(answer.body()), watch);
            } catch (FhirCallException e) {
                throw new Failure(e);
            }
        }
    }

    /** Opens a response body. */
    @FunctionalInterface
    private interface Body {
        InputStream open() throws IOException;
    }

    private static final class Response extends BaseHttpResponse {
        private final FhirHttp.Answer<byte[]> answer;
        private final Body body;
        // A downloaded file's streams stay open until HAPI closes the response, so none outlives the call.
        private final List<InputStream> opened = new ArrayList<>();

        Response(FhirHttp.Answer<byte[]> answer, Body body, StopWatch watch) {
            super(watch);
            this.answer = answer;
            this.body = body;
        }

        @Override
        public void bufferEntity() {
            // The body is read whole by FhirHttp.
        }

        @Override
        public void close() {
            for (InputStream in : opened) {
                try {
                    in.close();
                } catch (IOException e) {
                    // A file stream that cannot be closed is dropped; the file itself is deleted by its owner.
                }
            }
            opened.clear();
        }

        @Override
        public Reader createReader() throws IOException {
            return new InputStreamReader(readEntity(), charset());
        }

        @Override
        public Map<String, List<String>> getAllHeaders() {
            return answer.headers().map();
        }

        @Override
        public List<String> getHeaders(String name) {
            return answer.headers().allValues(name);
        }

        @Override
        public String getMimeType() {
            return answer.header("Content-Type").map(c -> c.split(";", 2)[0].strip()).orElse(null);
        }

        @Override
        public Object getResponse() {
            return answer;
        }

        @Override
        public int getStatus() {
            return answer.status();
        }

        @Override
        public String getStatusInfo() {
            return "HTTP " + answer.status();
        }

        @Override
        public InputStream readEntity() throws IOException {
            InputStream in = body.open();
            opened.add(in);
            return in;
        }

        private Charset charset() {
            String type = answer.header("Content-Type").orElse("");
            for (String part : type.split(";")) {
                String p = part.strip();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", ""));
                    } catch (IllegalArgumentException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
            return StandardCharsets.UTF_8;
        }
    }
}
