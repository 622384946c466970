package org.twinbridge.runtime.api.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.twinbridge.runtime.api.ApiProblem;
import org.twinbridge.runtime.api.ProblemDocument;

/**
 * Jetty's own answers (a malformed request line, URI, header or Content-Length; a request no context takes; an
 * error after the response began) as RFC 9457 problem documents like the API's, never Jetty's HTML error page. It
 * echoes nothing of the request, since a malformed URI may carry anything.
 */
final class ProblemErrorHandler extends Handler.Abstract {

    ProblemErrorHandler() {
        super(InvocationType.NON_BLOCKING);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        ApiProblem problem;
        if (status == 404) {
            problem = ApiProblem.notFound("TB-API-005", "no such resource");
        } else if (status == 400 && badContentLength(request)) {
            problem = ApiProblem.badRequest("TB-API-008", "Content-Length is not a number");
        } else if (status >= 400 && status < 500) {
            problem = new ApiProblem(status, "TB-API-012", "Bad request", "the HTTP layer refused the request as "
                    + "malformed (request line, URI or header) or too large");
        } else {
            problem = new ApiProblem(status < 500 ? 500 : status, "TB-API-002", "Internal error",
                    "the request failed inside the node");
        }
        response.getHeaders().remove(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE);
        ApiHandler.send(request, response, callback, problem.status(), ProblemDocument.MEDIA_TYPE,
                ProblemDocument.render(problem, ""), java.util.Map.of());
        return true;
    }

    /**
     * Whether Jetty refused the request for its Content-Length: its parser throws a BadMessageException caused by
     * a NumberFormatException for that header alone (a type, not a message, is checked). The header itself is not
     * available here, as the request failed while its headers were parsed.
     */
    private static boolean badContentLength(Request request) {
        Object error = request.getAttribute(org.eclipse.jetty.server.handler.ErrorHandler.ERROR_EXCEPTION);
        return error instanceof Throwable t && t.getCause() instanceof NumberFormatException;
    }
}
