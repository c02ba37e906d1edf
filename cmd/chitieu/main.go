// Command chitieu serves and manages chitieu: the web server, the database
// (migrations, backup, restore, checks) and reports on the command line.
//
// Exit codes: 0 success, 1 refused input or failed check, 2 usage error.
//
// It speaks Vietnamese, or English with CHITIEU_LANG=en (see lang.go).
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

// app is what every command gets: its streams, the environment, a logger
// and the operator's language ("vi" or "en").
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	log            *slog.Logger
	lang           string
}

// command is one subcommand of chitieu, with its one-line summary in
// Vietnamese and English.
type command struct {
	summary, summaryEN string
	run                func(ctx context.Context, a *app, args []string) error
}

// commands holds the subcommands; each file registers its own in an init
// function, so that adding a command touches one file.
var commands = map[string]command{}

// usageError marks a mistake in how the command was called: exit code 2.
// It holds the message in both languages; the app prints the operator's.
type usageError struct{ vi, en string }

func (e usageError) Error() string { return e.vi }

// in is the message in lang.
func (e usageError) in(lang string) string {
	if lang == "en" && e.en != "" {
		return e.en
	}
	return e.vi
}

// usagef makes a usage error of two formats that take the same arguments.
func usagef(vi, en string, args ...any) error {
	return usageError{fmt.Sprintf(vi, args...), fmt.Sprintf(en, args...)}
}

// usageOf makes a usage error of a domain error (a flag's value refused by
// the domain's parser), in both its languages.
func usageOf(err error) error {
	return usageError{indicators.ErrorMessageIn(err, "vi"), indicators.ErrorMessageIn(err, "en")}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, stdin, stdout, stderr, os.Getenv)
}

// runEnv is run with the environment read through getenv, so that a test
// can set CHITIEU_LANG for one run without touching the process's.
func runEnv(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	return a.main(ctx, args)
}

func (a *app) main(ctx context.Context, args []string) int {
	lang, err := langOf(a.getenv("CHITIEU_LANG"))
	if err != nil {
		// Neither language is known: say it in both.
		var ue usageError
		errors.As(err, &ue)
		fmt.Fprintf(a.stderr, "chitieu: %s\nchitieu: %s\n", ue.vi, ue.en)
		return 2
	}
	a.lang = lang
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		a.usage(a.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(a.stderr, "chitieu: %s\n\n", a.sayf("lệnh không rõ %q", "unknown command %q", args[0]))
		a.usage(a.stderr)
		return 2
	}
	err = cmd.run(ctx, a, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "chitieu %s: %s\n", args[0], ue.in(a.lang))
		return 2
	}
	fmt.Fprintf(a.stderr, "chitieu %s: %s\n", args[0], a.message(err))
	return 1
}

// message is what the operator sees of an error: a domain error in the
// operator's language, any other with its context, in English (the
// command line is for operators, who may act on the details).
func (a *app) message(err error) string {
	var de *indicators.Error
	if errors.As(err, &de) {
		return de.In(a.lang)
	}
	return err.Error()
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintln(w, a.say("chitieu — theo dõi chỉ tiêu kế hoạch (Nghị quyết 59-NQ/TW, TP Cần Thơ)",
		"chitieu — tracking the targets of a plan (Resolution 59-NQ/TW, Can Tho city)"))
	fmt.Fprintln(w, a.say("\nCách dùng: chitieu LỆNH [tham số]\n\nCác lệnh:", "\nUsage: chitieu COMMAND [options]\n\nCommands:"))
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
		fmt.Fprintf(w, "  %-*s %s\n", width, n, a.say(commands[n].summary, commands[n].summaryEN))
	}
	fmt.Fprintln(w, a.say("\nXem tham số của một lệnh: chitieu LỆNH -h", "\nA command's options: chitieu COMMAND -h"))
	fmt.Fprintln(w, a.say("Ngôn ngữ: tiếng Việt; tiếng Anh với CHITIEU_LANG=en", "Language: English with CHITIEU_LANG=en; Vietnamese without it"))
}

// flags makes a flag set for a command that reports errors as usage errors
// and prints its help, in the operator's language, on the app's stderr.
// The flag package's own output (its English error line and defaults) is
// discarded: main prints the error, flagHelp the options.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("chitieu "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(a.stderr, "%s: chitieu %s %s\n", a.say("Cách dùng", "Usage"), name, a.say("[tham số]", "[options]"))
		a.printDefaults(a.stderr, fs)
	}
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
			return flagError(err)
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
	return fs.String("db", def, a.say("tệp cơ sở dữ liệu SQLite, hoặc postgres://… cho serve, migrate, backup, import, report, user, audit (biến môi trường CHITIEU_DB)",
		"the SQLite database file, or postgres://… for serve, migrate, backup, import, report, user, audit (environment variable CHITIEU_DB)"))
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
		return usagef("tham số thừa: %s", "unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}
