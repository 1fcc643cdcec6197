/* The least a program built on libgit2 does for `stet status`: initialise the library, open the
 * repository and list its status (with untracked files and renames, as stet asks). Run with one
 * argument it only initialises libgit2, which on Debian's build loads and parses the system CA
 * bundle whatever the program does next. Benchmarks/writers.sh times both beside git status. */
#include <git2.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	git_repository *repository;
	git_status_list *list;
	git_status_options options = GIT_STATUS_OPTIONS_INIT;

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
