/* The least any Markdown-aware comparison built on libgit2 and cmark-gfm does for
 * `stet diff A B`, in two steps, on as many threads as the machine has cores:
 *   diff-floor REPOSITORY A B read     reads both versions of every file under drafts/ that
 *                                      differs between A and B;
 *   diff-floor REPOSITORY A B parse    also parses each with cmark-gfm (GFM tables on), as
 *                                      stet must to know its blocks.
 * No tokens, no diff, no output. Benchmarks/diff.sh times both beside git's word diff. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pair {
	git_oid a, b;
};

struct work {
	const char *path;
	struct pair *pairs;
	size_t count, first, step;
	int parse;
	size_t bytes, nodes;
};

static void fail(const char *what)
{
	const git_error *error = git_error_last();
	fprintf(stderr, "diff-floor: %s: %s\n", what, error ? error->message : "failed");
	exit(1);
}

static void consume(struct work *work, const char *text, size_t length)
{
	cmark_node *document, *node;
	cmark_parser *parser;
	cmark_iter *iter;

	work->bytes += length;
	if (!work->parse)
		return;
	parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension("table"));
	cmark_parser_feed(parser, text, length);
	document = cmark_parser_finish(parser);
	iter = cmark_iter_new(document);
	while (cmark_iter_next(iter) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(iter);
		work->nodes += node != NULL;
	}
	cmark_iter_free(iter);
	cmark_node_free(document);
	cmark_parser_free(parser);
}

static void *run(void *argument)
{
	struct work *work = argument;
	git_repository *repository;
	git_blob *blob;
	size_t i;

	if (git_repository_open(&repository, work->path) < 0)
		fail(work->path);
	for (i = work->first; i < work->count; i += work->step) {
		const git_oid *ids[2] = {&work->pairs[i].a, &work->pairs[i].b};
		for (int side = 0; side < 2; side++) {
			if (git_blob_lookup(&blob, repository, ids[side]) < 0)
				fail("blob");
			consume(work, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			git_blob_free(blob);
		}
	}
	git_repository_free(repository);
	return NULL;
}

static git_tree *tree_of(git_repository *repository, const char *revision)
{
	git_object *object;
	git_tree *tree;

	if (git_revparse_single(&object, repository, revision) < 0 ||
	    git_object_peel((git_object **)&tree, object, GIT_OBJECT_TREE) < 0)
		fail(revision);
	git_object_free(object);
	return tree;
}

int main(int argc, char **argv)
{
	git_repository *repository;
	git_diff *diff;
	git_diff_options options = GIT_DIFF_OPTIONS_INIT;
	char *drafts = "drafts";
	struct pair *pairs;
	size_t count = 0, bytes = 0, nodes = 0;
	long threads = sysconf(_SC_NPROCESSORS_ONLN);

	if (argc != 5) {
		fprintf(stderr, "usage: diff-floor REPOSITORY A B read|parse\n");
		return 64;
	}
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	cmark_gfm_core_extensions_ensure_registered();
	if (git_repository_open(&repository, argv[1]) < 0)
		fail(argv[1]);
	options.pathspec.strings = &drafts;
	options.pathspec.count = 1;
	if (git_diff_tree_to_tree(&diff, repository, tree_of(repository, argv[2]), tree_of(repository, argv[3]),
	                          &options) < 0)
		fail("diff");
	pairs = calloc(git_diff_num_deltas(diff) + 1, sizeof *pairs);
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *delta = git_diff_get_delta(diff, i);
		if (delta->status == GIT_DELTA_MODIFIED) {
			pairs[count].a = delta->old_file.id;
			pairs[count].b = delta->new_file.id;
			count++;
		}
	}

	struct work works[threads];
	pthread_t ids[threads];
	for (long t = 0; t < threads; t++) {
		works[t] = (struct work){argv[1], pairs, count, (size_t)t, (size_t)threads,
		                         strcmp(argv[4], "parse") == 0, 0, 0};
		pthread_create(&ids[t], NULL, run, &works[t]);
	}
	for (long t = 0; t < threads; t++) {
		pthread_join(ids[t], NULL);
		bytes += works[t].bytes;
		nodes += works[t].nodes;
	}
	printf("%zu files, %zu bytes, %zu nodes, %ld threads\n", count, bytes, nodes, threads);
	return 0;
}
