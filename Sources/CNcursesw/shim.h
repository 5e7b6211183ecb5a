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

/// 1 when the terminal type is known; never prints (unlike initscr).
static inline int ncw_terminal_known(const char *term) {
    int error = 0;
    int result = setupterm((char *)term, 1, &error);
    if (result == OK) { del_curterm(cur_term); return 1; }
    return 0;
}

/// newterm on the process's own stdin/stdout (C globals Swift 6 will not touch).
static inline SCREEN *ncw_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline int ncw_add_wide(int y, int x, const wchar_t *text, int length, attr_t attributes, short pair) {
    attr_set(attributes, pair, NULL);
    return mvaddnwstr(y, x, text, length);
}

#endif
