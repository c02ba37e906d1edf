// Command chitieu serves and manages chitieu: the web server, the database
// (migrations, backup, restore, checks) and reports on the command line.
//
// Exit codes: 0 success, 1 refused input or failed check, 2 usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// app is what every command gets: its streams, the environment and a logger.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	log            *slog.Logger
}

// command is one subcommand of chitieu.
type command struct {
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

// commands holds the subcommands; each file registers its own in an init
// function, so that adding a command touches one file.
var commands = map[string]command{}

// usageError marks a mistake in how the command was called: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	return a.main(ctx, args)
}

func (a *app) main(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		a.usage(a.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(a.stderr, "chitieu: lệnh không rõ %q\n\n", args[0])
		a.usage(a.stderr)
		return 2
	}
	err := cmd.run(ctx, a, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "chitieu %s: %s\n", args[0], ue.msg)
		return 2
	}
	fmt.Fprintf(a.stderr, "chitieu %s: %s\n", args[0], message(err))
	return 1
}

// message is what the user sees of an error: domain errors as they are,
// others with their context (the command line is for operators).
func message(err error) string {
	var de *indicators.Error
	if errors.As(err, &de) {
		return de.Error()
	}
	return err.Error()
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintln(w, "chitieu — theo dõi chỉ tiêu kế hoạch (Nghị quyết 59-NQ/TW, TP Cần Thơ)")
	fmt.Fprintln(w, "\nCách dùng: chitieu LỆNH [tham số]\n\nCác lệnh:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nXem tham số của một lệnh: chitieu LỆNH -h")
}

// flags makes a flag set for a command that reports errors as usage errors
// and prints its help on the app's output.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("chitieu "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	return fs
}

// parse parses args, turning flag errors into usage errors and leaving
// positional arguments in fs.Args(). Flags may follow positional arguments.
func parse(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

// dbFlag adds --db, defaulting to $CHITIEU_DB or chitieu.db.
func (a *app) dbFlag(fs *flag.FlagSet) *string {
	def := a.getenv("CHITIEU_DB")
	if def == "" {
		def = "chitieu.db"
	}
	return fs.String("db", def, "tệp cơ sở dữ liệu SQLite, hoặc postgres://… cho serve, migrate, backup, import, report, user, audit (biến môi trường CHITIEU_DB)")
}

// open opens the store, applying migrations and loading the built-in
// catalogue, as every command that touches data does.
func (a *app) open(ctx context.Context, path string) (*sqlite.DB, error) {
	if err := refusePostgres(path); err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, path, append(a.keyOption(), sqlite.WithLogger(a.log))...)
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Builtin()
	if err != nil {
		db.Close()
		return nil, err
	}
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "system"})
	res, err := db.LoadCatalog(ctx, cat)
	if err != nil {
		db.Close()
		return nil, err
	}
	if res != (indicators.CatalogResult{}) {
		a.log.Info("loaded the built-in catalogue", "plans", res.Plans, "indicators", res.Indicators,
			"targets", res.Targets, "values", res.Values)
	}
	return db, nil
}

// keyOption points the store at the audit key of CHITIEU_AUDIT_KEY, a
// file; without it the key lies beside the database.
func (a *app) keyOption() []sqlite.Option {
	if p := a.getenv("CHITIEU_AUDIT_KEY"); p != "" {
		return []sqlite.Option{sqlite.WithAuditKey(p)}
	}
	return nil
}

func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return usagef("tham số thừa: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}
