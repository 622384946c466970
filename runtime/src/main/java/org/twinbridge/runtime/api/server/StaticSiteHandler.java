package org.twinbridge.runtime.api.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.twinbridge.runtime.console.StaticSite;
import org.twinbridge.runtime.console.StaticResponse;

/**
 * Serves a {@link StaticSite} (the console's shell) on Jetty: hands it the method and the raw request path,
 * including the context path, and sends back its status, headers and body. The site knows no HTTP server.
 */
final class StaticSiteHandler extends Handler.Abstract {

    private final StaticSite site;

    StaticSiteHandler(StaticSite site) {
        this.site = site;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        StaticResponse answer = site.serve(request.getMethod(), request.getHttpURI().getPath());
        response.setStatus(answer.status());
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (request.getMethod().equals("HEAD") || answer.body().length == 0) {
            response.getHeaders().put("Content-Length", Long.toString(
                    request.getMethod().equals("HEAD") ? answer.body().length : 0));
            callback.succeeded();
        } else {
            response.getHeaders().put("Content-Length", Long.toString(answer.body().length));
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        }
        return true;
    }
}
