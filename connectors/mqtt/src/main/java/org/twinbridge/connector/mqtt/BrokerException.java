package org.twinbridge.connector.mqtt;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A Paho client call failed. Carries Paho's reason code and a description safe to log: a kind of failure, never
 * a message's content, a password or a key. Paho's reason codes are the same in its MQTT 3.1.1 and 5 clients.
 */
final class BrokerException extends Exception {

    private static final long serialVersionUID = 1L;
    /** Paho: the client is already connected. */
    static final int CLIENT_CONNECTED = 32100;
    /** Paho: a connect is already in progress. */
    static final int CONNECT_IN_PROGRESS = 32110;
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: ([a-z_]{1,64})");

    private final int reasonCode;
    private final boolean tls;

    private BrokerException(int reasonCode, String description, boolean tls, Throwable cause) {
        super(description, cause);
        this.reasonCode = reasonCode;
        this.tls = tls;
    }

    /**
     * Wraps a Paho exception, describing TLS failures by kind so that an operator can tell what to fix.
     * {@code overTls} says whether the connection uses TLS: then a connection closed under the client is most
     * likely the broker refusing its certificate.
     */
    static BrokerException of(int reasonCode, Throwable cause, String host, boolean overTls) {
        String tlsProblem = tlsProblem(cause, host);
        if (tlsProblem == null && overTls && hasCause(cause, java.io.IOException.class)) {
            tlsProblem = "TLS: the broker closed the connection during the handshake or CONNECT; it may have "
                    + "refused this connector's client certificate (tls.keystore)";
        }
        if (tlsProblem != null) {
            return new BrokerException(reasonCode, tlsProblem, true, cause);
        }
        String description = switch (reasonCode) {
            case 4, 5, 134, 135 -> "the broker refused the user name or password, or this client (reason "
                    + reasonCode + ")";
            // 1: MQTT 3.1.1's and 0x84 MQTT 5's "unsupported protocol version"; 50001: an MQTT 5 client reading an
            // MQTT 3.1.1 broker's refusal (Moquette 0.17 does this).
            case 1, 132, 50001 -> "the broker does not speak this MQTT version (reason " + reasonCode
                    + "); set 'protocol' to the one it speaks (mqtt3 or mqtt5)";
            default -> "reason " + reasonCode;
        };
        return new BrokerException(reasonCode, description, false, cause);
    }

    /** A failure found by the connector itself, e.g. a refused subscription. */
    static BrokerException refused(String description) {
        return new BrokerException(0, description, false, null);
    }

    int reasonCode() {
        return reasonCode;
    }

    /** Whether the TLS handshake (or the broker's certificate check of this client) failed. */
    boolean tls() {
        return tls;
    }

    /** Whether another connect already made, or is making, the connection. */
    boolean alreadyConnecting() {
        return reasonCode == CLIENT_CONNECTED || reasonCode == CONNECT_IN_PROGRESS;
    }

    private static boolean hasCause(Throwable cause, Class<? extends Throwable> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String tlsProblem(Throwable cause, String host) {
        boolean ssl = false;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return "TLS: the broker's certificate is not trusted by this connector's trust store "
                        + "(tls.truststore, or the JVM's default when none is set)";
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof CertificateException
                    && message.toLowerCase(Locale.ROOT).matches(".*(subject alternative|no name matching).*")) {
                return "TLS: the broker's certificate does not name " + host
                        + " (hostname verification; fix the certificate or the broker address)";
            }
            if (t instanceof SSLException) {
                ssl = true;
                Matcher alert = ALERT.matcher(message);
                if (alert.find()) {
                    return "TLS: the broker ended the handshake (" + alert.group(1) + "); it may require a client "
                            + "certificate it trusts (tls.keystore)";
                }
            }
        }
        return ssl ? "TLS: the handshake with the broker failed" : null;
    }
}
