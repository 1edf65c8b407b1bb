// SPDX-License-Identifier: Apache-2.0
/*
 * ls [-a] [-l] [PATH...]: lists each directory's entries sorted by name
 * (byte order), hiding names that start with "." unless -a. A PATH that is
 * not a directory is listed as itself. -l adds the mode string, link count
 * and size (no times or owners, so that the output is deterministic), and
 * "-> target" for a symlink. With more than one PATH, each directory's
 * listing is headed "PATH:". Errors go to stderr as "ls: PATH: reason"
 * and make the exit code 1.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "common.h"

static int all, longfmt;

static void mode_string(mode_t m, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";

	out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
		 S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (int i = 0; i < 9; i++)
		out[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		out[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		out[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		out[9] = (m & S_IXOTH) ? 't' : 'T';
	out[10] = 0;
}

/* Print one entry; path is what to lstat, name what to show. */
static int show(const char *path, const char *name)
{
	struct stat st;
	char mode[11], target[4096];

	if (!longfmt) {
		printf("%s\n", name);
		return 0;
	}
	if (lstat(path, &st) != 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	mode_string(st.st_mode, mode);
	printf("%s %3lu %8lld %s", mode, (unsigned long)st.st_nlink,
	       (long long)st.st_size, name);
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		if (n < 0) {
			printf("\n");
			fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
			return 1;
		}
		target[n] = 0;
		printf(" -> %s", target);
	}
	printf("\n");
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0, cap = 0;
	int status = 0;

	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((errno = 0, e = readdir(d)) != NULL) {
		if (!all && e->d_name[0] == '.')
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			check(names != NULL, "realloc");
		}
		names[count] = strdup(e->d_name);
		check(names[count] != NULL, "strdup");
		count++;
	}
	if (errno != 0) {
		fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
		status = 1;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), by_name);
	for (size_t i = 0; i < count; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);

		check(path != NULL, "malloc");
		snprintf(path, len, "%s/%s", dir, names[i]);
		status |= show(path, names[i]);
		free(path);
		free(names[i]);
	}
	free(names);
	return status;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0, first;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'a') {
				all = 1;
			} else if (*o == 'l') {
				longfmt = 1;
			} else {
				fprintf(stderr, "ls: unknown option -%c\n", *o);
				return 2;
			}
		}
	}
	if (i == argc)
		return list_dir(".");
	first = i;
	for (; i < argc; i++) {
		struct stat st;

		if (lstat(argv[i], &st) != 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (argc - first > 1)
				printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
			status |= list_dir(argv[i]);
		} else {
			status |= show(argv[i], argv[i]);
		}
	}
	return status;
}
