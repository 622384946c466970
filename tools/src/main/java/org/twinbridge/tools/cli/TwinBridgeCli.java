package org.twinbridge.tools.cli;

import java.io.PrintWriter;
import org.twinbridge.consent.io.ConsentInputException;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.runtime.config.ConfigException;
import org.twinbridge.runtime.crypto.NodeKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code twinbridge} executable. Exit codes: 0 ok; 1 runtime failure; 2 bad input or configuration,
 * with {@code file:line:column: message} where a file is involved.
 */
// scope INHERIT: every subcommand, at any depth, gets -h/--help and -V/--version from here.
@Command(name = "twinbridge", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = TwinBridgeCli.Version.class,
        description = "Secure, federated middleware that feeds healthcare digital twins.",
        subcommands = {RunCommand.class, DemoCommand.class, BenchCommand.class, LoadCommand.class, PolicyCommand.class,
            KeysCommand.class, JournalCommand.class, ConsentCommand.class, AuditCommand.class, PluginCommand.class,
            TwinCommand.class, DeadLetterCommand.class, KeycloakCommand.class, FederationCommand.class, CommandLine.HelpCommand.class})
public final class TwinBridgeCli {

    public static final int OK = 0;
    public static final int RUNTIME_FAILURE = 1;
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code; used by tests too. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new TwinBridgeCli());
        cli.setExecutionExceptionHandler(TwinBridgeCli::handle);
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof ConfigException config) {
            config.errors().forEach(error -> err.println(error.format()));
            return BAD_INPUT;
        }
        if (e instanceof PolicyException policy) {
            policy.errors().forEach(error -> err.println(error.format()));
            return BAD_INPUT;
        }
        if (e instanceof ConsentInputException consent) {
            consent.problems().forEach(err::println);
            return BAD_INPUT;
        }
        if (e instanceof NodeKeys.KeyStoreFailure || e instanceof BadInputException) {
            err.println(e.getMessage());
            return BAD_INPUT;
        }
        err.println(unexpectedFailure(cli.getCommandName(), e));
        err.println("Run with TWINBRIDGE_DEBUG=1 to print the stack trace.");
        if (System.getenv("TWINBRIDGE_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return RUNTIME_FAILURE;
    }

    /**
     * The TB-RUN-001 line for an exception no command handled: its type, and its message only if TwinBridge code
     * constructed it. TwinBridge messages carry a TB- code and never PHI (STYLE.md rule 7); a third-party message
     * may echo record content (a JSON parser quotes the text it choked on). Who constructed the exception is read
     * from its origin frame, a fact about the throwable, rather than guessed from its text (STYLE.md rule 15).
     */
    static String unexpectedFailure(String commandName, Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        boolean ours = trace.length > 0 && trace[0].getClassName().startsWith("org.twinbridge.");
        return "TB-RUN-001 " + commandName + " failed: " + e.getClass().getName()
                + (ours && e.getMessage() != null ? ": " + e.getMessage() : "");
    }

    /** Bad input that is not a configuration file problem; exits with 2. */
    static final class BadInputException extends Exception {
        private static final long serialVersionUID = 1L;

        BadInputException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TwinBridgeCli.class.getPackage().getImplementationVersion();
            return new String[] {"twinbridge " + (version == null ? "development build" : version)};
        }
    }
}
