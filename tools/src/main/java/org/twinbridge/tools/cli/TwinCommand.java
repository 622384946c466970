package org.twinbridge.tools.cli;

import picocli.CommandLine.Command;

/** {@code twin}: tools for model vendors. */
@Command(name = "twin", description = "Run twin plugins outside a node (for model vendors).",
        subcommands = {TwinRunCommand.class})
final class TwinCommand {
}
