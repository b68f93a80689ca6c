/** @module Help texts for `dejavu --help` and `dejavu <command> --help`. */

const RUN_OPTIONS = `Options:
  --seed N                 seed for scheduling and randomness (default 1)
  --epoch UNIX_SECONDS     logical wall clock start (default 946684800, 2000-01-01)
  --mount HOST:GUEST[:ro|:rw]
                           mount a host directory into the guest (repeatable; default ro)
  --cwd DIR                guest working directory (default /)
  --env K=V                set a guest environment variable (repeatable); the guest
                           environment starts from a fixed default, never the host's
  --max-instructions N     stop with an error after N guest instructions
  --stdin FILE             guest stdin comes from FILE instead of our stdin
  --verbose                print run statistics to stderr
  -h, --help               show this help`;

export const HELP: Record<string, string> = {
  main: `dejavu: deterministic record/replay emulator for Linux i386 static programs

Usage:
  dejavu run [options] <prog> [args...]        run a program
  dejavu record [options] [-o FILE] <prog> [args...]
                                               run a program and record a trace
  dejavu replay [--prog PATH] <trace.json>     re-execute a trace and check it
  dejavu dump [--ic] <trace.json>              print a trace strace-style
  dejavu diff <a.json> <b.json>                show where two traces first differ
  dejavu <command> --help                      help for one command

Exit status: the guest's exit code (128+N when signal N killed it); 1 for errors
such as a missing file or a bad ELF or trace; 2 for a bad command line; 3 when
replay diverges from the trace; 130/143 when record is interrupted by SIGINT/SIGTERM.
diff exits 0 when the traces are identical and 1 when they differ.`,

  run: `Usage: dejavu run [options] <prog> [args...]

Runs a Linux i386 static program in the deterministic emulator. The guest argv is
<prog> as typed followed by args. Options go before <prog>; everything after it is
passed to the guest.

${RUN_OPTIONS}`,

  record: `Usage: dejavu record [options] [-o FILE] <prog> [args...]

Runs <prog> like \`dejavu run\` and writes a trace of every syscall, signal and thread
switch to FILE (default <prog basename>.trace.json). The file is written under a
temporary name and renamed when the run ends, so a failed run never overwrites an
existing trace. Ctrl-C (SIGINT) or SIGTERM stops the run at the guest's next syscall,
removes the temporary file and exits 128+N.

${RUN_OPTIONS}
  -o, --out FILE           where to write the trace
  --pack                   embed the program and every mounted host file it read
                           (gzip), so the trace replays on a machine with neither`,

  replay: `Usage: dejavu replay [options] <trace.json>

Re-executes the program of a trace, feeding it the recorded syscall results, and
checks every event (syscall number, arguments, thread, instruction count), the exit
status and the final state hash. The guest's output is reproduced from the trace.
The program comes from the trace itself when it was recorded with --pack, else
through the trace's "path" (relative to the trace file).

Options:
  --prog PATH              the program binary (its sha256 must match the trace)
  --max-instructions N     stop with an error after N guest instructions
  --verbose                print replay statistics to stderr
  -h, --help               show this help

Exit status: the recorded program's exit status when replay matches; 3 with a
report (event, thread, field, both values, disassembly around eip) when it diverges.`,

  dump: `Usage: dejavu dump [options] <trace.json>

Prints a trace as strace-like lines, e.g.  [1000] write(1, "hello\\n", 6) = 6

Options:
  --ic                     prefix each line with the instruction count
  -h, --help               show this help`,

  diff: `Usage: dejavu diff <a.json> <b.json>

Compares two traces: the header (program, argv, env, config), then the events in
order, then the exit record. Prints the differing header fields and the first
differing event of each trace, strace-style with its index and instruction count.
The program path and packed files are not compared.

Exit status: 0 when the traces are identical, 1 when they differ (or on an error
such as an unreadable trace), 2 for a bad command line.

Options:
  -h, --help               show this help`,
};
