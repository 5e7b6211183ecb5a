// ncursesw for Swift 6. SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, so the wide-character
// API must be switched on here; and macro-only values (attributes, stdscr, LINES, getmaxyx…) are
// wrapped in static inline functions, because Swift cannot import macros or mutable C globals.
#ifndef WAX_NCURSESW_SHIM_H
#define WAX_NCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *ncw_stdscr(void) { return stdscr; }
static inline void ncw_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
static inline int ncw_colors(void) { return COLORS; }
static inline int ncw_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t ncw_a_normal(void) { return A_NORMAL; }
static inline attr_t ncw_a_bold(void) { return A_BOLD; }
static inline attr_t ncw_a_dim(void) { return A_DIM; }
static inline attr_t ncw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ncw_a_reverse(void) { return A_REVERSE; }
static inline int ncw_key_code_yes(void) { return KEY_CODE_YES; }

/// 1 when the terminal type is known, 2 when it is known but cannot move the cursor (`dumb`,
/// a printing terminal), 0 when unknown. Never prints (unlike initscr).
static inline int ncw_terminal_known(const char *term) {
    int error = 0;
    int result = setupterm((char *)term, 1, &error);
    if (result != OK) { return 0; }
    char *cup = tigetstr("cup");
    int addressable = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    return addressable ? 1 : 2;
}

/// Home and End as terminals other than the terminfo entry's send them (PuTTY, tmux, rxvt:
/// ESC[1~ ESC[4~ ESC[7~ ESC[8~; xterm's two spellings), so they never read as Esc and text.
static inline void ncw_define_extra_keys(void) {
    define_key("\033[1~", KEY_HOME);
    define_key("\033[7~", KEY_HOME);
    define_key("\033[H", KEY_HOME);
    define_key("\033OH", KEY_HOME);
    define_key("\033[4~", KEY_END);
    define_key("\033[8~", KEY_END);
    define_key("\033[F", KEY_END);
    define_key("\033OF", KEY_END);
}

/// Everything is drawn again at the next refresh (Ctrl-L, a garbled ssh screen).
static inline void ncw_clear_on_next_refresh(void) { clearok(stdscr, TRUE); }

/// newterm on the process's own stdin/stdout (C globals Swift 6 will not touch).
static inline SCREEN *ncw_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline int ncw_add_wide(int y, int x, const wchar_t *text, int length, attr_t attributes, short pair) {
    attr_set(attributes, pair, NULL);
    return mvaddnwstr(y, x, text, length);
}

#endif
