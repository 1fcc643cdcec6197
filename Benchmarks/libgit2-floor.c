/* The least a program built on libgit2 does for `stet status`, in three steps:
 *   libgit2-floor load       only loads libgit2 and the libraries it links (Kerberos, OpenSSL,
 *                            mbedTLS, libssh2, PCRE2, ...), and exits;
 *   libgit2-floor            also initialises libgit2, which on Debian's build loads and parses
 *                            the system CA bundle whatever the program does next;
 *   libgit2-floor REPOSITORY also opens the repository and lists its status (with untracked
 *                            files and renames, as stet asks).
 * Benchmarks/writers.sh times each beside git status. */
#include <git2.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	git_repository *repository;
	git_status_list *list;
	git_status_options options = GIT_STATUS_OPTIONS_INIT;

	if (argc > 1 && strcmp(argv[1], "load") == 0)
		return 0;
	git_libgit2_init();
	if (argc < 2) {
		git_libgit2_shutdown();
		return 0;
	}
	options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RENAMES_HEAD_TO_INDEX |
	                GIT_STATUS_OPT_RENAMES_INDEX_TO_WORKDIR;
	if (git_repository_open(&repository, argv[1]) < 0 || git_status_list_new(&list, repository, &options) < 0) {
		fprintf(stderr, "libgit2-floor: %s\n", git_error_last()->message);
		return 1;
	}
	printf("%zu changed\n", git_status_list_entrycount(list));
	git_status_list_free(list);
	git_repository_free(repository);
	git_libgit2_shutdown();
	return 0;
}
