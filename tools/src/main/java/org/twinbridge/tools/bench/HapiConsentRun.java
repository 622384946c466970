package org.twinbridge.tools.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOperationStatusEnum;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.embedded.fhir.InMemoryFhirStore;
import org.twinbridge.embedded.fhir.InMemoryResourceProvider;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The usual alternative: what a team would build with the ecosystem's standard tools. A HAPI FHIR
 * {@link RestfulServer} in Jetty serves the workload from memory, with HAPI's {@link ConsentInterceptor} whose
 * {@link IConsentService#willSeeResource} masks each resource to the same allowed elements per recipient; each
 * recipient's HAPI client pages through every Observation, Condition and MedicationRequest, 200 a page.
 */
final class HapiConsentRun {

    static final String RECIPIENT_HEADER = "X-Recipient";
    private static final int PAGE = 200;

    private HapiConsentRun() {
    }

    /** @return records per second, a record counting once every recipient has received its masked view */
    static double run(List<CanonicalRecord> records, int recipients, Progress progress) throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        InMemoryFhirStore store = new InMemoryFhirStore(
                List.of(Observation.class, Condition.class, MedicationRequest.class), Clock.systemUTC());
        records.forEach(r -> store.save(r.resource().copy()));
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder("fhir", server(fhir, store));
        holder.setInitOrder(1);
        context.addServlet(holder, "/fhir/*");
        jetty.setHandler(context);
        jetty.start();
        try {
            String base = "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
            fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            page(fhir, base, "warm-up", records.size());
            progress.message("HAPI RestfulServer + ConsentInterceptor, " + recipients + " clients paging");
            ExecutorService pool = Executors.newFixedThreadPool(recipients);
            long start = System.nanoTime();
            try {
                List<Future<Integer>> clients = new ArrayList<>();
                for (int i = 0; i < recipients; i++) {
                    String recipient = "recorder-" + (i + 1);
                    clients.add(pool.submit(() -> page(fhir, base, recipient, records.size())));
                }
                for (Future<Integer> client : clients) {
                    if (client.get() != records.size()) {
                        throw new IllegalStateException("TB-BENCH-010 a HAPI client received " + client.get()
                                + " of " + records.size() + " records");
                    }
                }
            } finally {
                pool.shutdown();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.done();
            return records.size() / seconds;
        } finally {
            jetty.stop();
        }
    }

    private static int page(FhirContext fhir, String base, String recipient, int expected) {
        IGenericClient client = fhir.newRestfulGenericClient(base);
        AdditionalRequestHeadersInterceptor headers = new AdditionalRequestHeadersInterceptor();
        headers.addHeaderValue(RECIPIENT_HEADER, recipient);
        client.registerInterceptor(headers);
        client.setEncoding(EncodingEnum.JSON);
        int received = 0;
        for (String type : List.of("Observation", "Condition", "MedicationRequest")) {
            Bundle bundle = client.search().forResource(type).count(PAGE).returnBundle(Bundle.class).execute();
            while (true) {
                received += (int) bundle.getEntry().stream().filter(e -> e.getResource() != null).count();
                if (bundle.getLink(Bundle.LINK_NEXT) == null) {
                    break;
                }
                bundle = client.loadPage().next(bundle).execute();
            }
        }
        return received;
    }

    private static RestfulServer server(FhirContext fhir, InMemoryFhirStore store) {
        RestfulServer server = new RestfulServer(fhir);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(100);
        paging.setDefaultPageSize(PAGE);
        paging.setMaximumPageSize(PAGE);
        server.setPagingProvider(paging);
        List<IResourceProvider> providers = List.of(new InMemoryResourceProvider<>(Observation.class, store),
                new InMemoryResourceProvider<>(Condition.class, store),
                new InMemoryResourceProvider<>(MedicationRequest.class, store));
        server.setResourceProviders(providers);
        server.registerInterceptor(new ConsentInterceptor(new MaskingConsent(fhir)));
        return server;
    }

    /** Masks every resource to the recipient's allowed elements; a request without a recipient sees nothing. */
    private record MaskingConsent(FhirContext fhir) implements IConsentService {
        @Override
        public ConsentOutcome startOperation(RequestDetails request, IConsentContextServices services) {
            return request.getHeader(RECIPIENT_HEADER) == null ? ConsentOutcome.REJECT : ConsentOutcome.PROCEED;
        }

        @Override
        public ConsentOutcome willSeeResource(RequestDetails request, IBaseResource resource,
                IConsentContextServices services) {
            if (resource instanceof Bundle || !(resource instanceof Resource r)) {
                return ConsentOutcome.PROCEED;
            }
            return new ConsentOutcome(ConsentOperationStatusEnum.AUTHORIZED, AllowList.project(fhir, r));
        }
    }
}
