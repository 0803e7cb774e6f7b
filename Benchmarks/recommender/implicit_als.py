"""implicit's ALS on the training set Larder exported, and NDCG@10 for both models' lists.

Reads, from --results (written by RecommenderBench):
  train.parquet            user_id, item_id, bookings: the positives before T2, one row per pair
  test.parquet             user_id, item_id: each evaluated user's relevant items
  larder_als_top10.parquet user_id, rank, item_id: Larder's ALS top-10 lists
  results.json             Larder's figures and the ALS parameters

Fits implicit.cpu.als.AlternatingLeastSquares with the same factors, regularization,
iterations, CG steps, thread count and confidences (Larder uses c = 1 + alpha*r, Hu et al.;
implicit multiplies the matrix it is given by its alpha, so it gets the matrix 1 + alpha*r
and alpha 1), BLAS limited to one thread as implicit recommends. Recommends the top 10 for
every evaluated user that has training rows, leaving out their training items (as Larder
does), then computes precision/recall/NDCG/MAP@10 for both models' lists with the same
functions, over the same users. Prints a Markdown table and writes implicit.json.
"""
import argparse
import json
import math
import time

import numpy as np
import pyarrow.parquet as pq
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

import implicit
from implicit.cpu.als import AlternatingLeastSquares


def metrics_at_k(lists, relevant, k=10):
    """Mean precision, recall, NDCG and MAP at k (the definitions of Larder's RankingMetrics)."""
    totals = {"precision": 0.0, "recall": 0.0, "ndcg": 0.0, "map": 0.0}
    for user, rel in relevant.items():
        rec = list(lists.get(user, []))[:k]
        hits, dcg, ap = 0, 0.0, 0.0
        for j, item in enumerate(rec):
            if item in rel:
                hits += 1
                dcg += 1.0 / math.log2(j + 2)
                ap += hits / (j + 1)
        ideal = sum(1.0 / math.log2(j + 2) for j in range(min(k, len(rel))))
        totals["precision"] += hits / k
        totals["recall"] += hits / len(rel)
        totals["ndcg"] += dcg / ideal
        totals["map"] += ap / min(k, len(rel))
    n = max(1, len(relevant))
    return {name: value / n for name, value in totals.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    larder = json.load(open(f"{args.results}/results.json"))
    p = larder["als"]
    threads = larder["threads"]

    train = pq.read_table(f"{args.results}/train.parquet").to_pydict()
    users = sorted(set(train["user_id"]))
    items = sorted(set(train["item_id"]))
    user_row = {u: k for k, u in enumerate(users)}
    item_col = {i: k for k, i in enumerate(items)}
    rows = np.array([user_row[u] for u in train["user_id"]], dtype=np.int32)
    cols = np.array([item_col[i] for i in train["item_id"]], dtype=np.int32)
    confidence = 1.0 + p["alpha"] * np.array(train["bookings"], dtype=np.float32)
    user_items = sp.csr_matrix((confidence.astype(np.float32), (rows, cols)), shape=(len(users), len(items)))

    fits, cpu = [], []
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(args.repeat):
            model = AlternatingLeastSquares(factors=p["factors"], regularization=p["regularization"], alpha=1.0,
                                            iterations=p["iterations"], use_cg=True, num_threads=threads,
                                            random_state=int(p["seed"]) % (2**32), calculate_training_loss=False)
            model.cg_steps = p["cgSteps"]
            start, cpu_start = time.perf_counter(), time.process_time()
            model.fit(user_items, show_progress=False)
            fits.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)

        test = pq.read_table(f"{args.results}/test.parquet").to_pydict()
        relevant = {}
        for u, i in zip(test["user_id"], test["item_id"]):
            relevant.setdefault(u, set()).add(i)
        warm = sorted(u for u in relevant if u in user_row)
        ids, _ = model.recommend(np.array([user_row[u] for u in warm], dtype=np.int32),
                                 user_items[[user_row[u] for u in warm]], N=10, filter_already_liked_items=True)
    implicit_lists = {u: [items[c] for c in row if c >= 0] for u, row in zip(warm, ids)}

    top = pq.read_table(f"{args.results}/larder_als_top10.parquet").to_pydict()
    larder_lists = {}
    for u, rank, i in sorted(zip(top["user_id"], top["rank"], top["item_id"])):
        larder_lists.setdefault(u, []).append(i)

    # Check first: the same Python code over all evaluated users reproduces Larder's own NDCG.
    larder_als = next(m for m in larder["models"] if m["model"] == "als")
    everyone = metrics_at_k(larder_lists, relevant)
    if abs(everyone["ndcg"] - larder_als["ndcg"]) > 1e-9:
        raise SystemExit(f"NDCG check failed: Python {everyone['ndcg']} vs Larder {larder_als['ndcg']}")

    warm_relevant = {u: relevant[u] for u in warm}
    ours = metrics_at_k(larder_lists, warm_relevant)
    theirs = metrics_at_k(implicit_lists, warm_relevant)
    out = {
        "implicit": implicit.__version__, "users": len(warm), "items": len(items), "trainPairs": len(rows),
        "implicitFitSeconds": fits, "larderFitSeconds": larder_als.get("fitSecondsAll", [larder_als["fitSeconds"]]),
        "implicitFitCPUSeconds": cpu, "larderFitCPUSeconds": larder_als.get("fitCPUSecondsAll", []),
        "implicitMetrics": theirs, "larderMetrics": ours,
    }
    json.dump(out, open(f"{args.results}/implicit.json", "w"), indent=2, sort_keys=True)

    print(f"{larder['interactions']:,} interactions ({larder['positives']:,} bookings); fitted on the "
          f"{larder['trainPositives']:,} bookings before T2 ({larder['users']:,} users, {larder['items']:,} items); "
          f"evaluated on {larder['evaluatedUsers']:,} users ({larder['coldUsers']:,} without history) who booked "
          f"something new after T2. Ingest {larder['ingestSeconds']:.1f} s, training data (point-in-time joins) "
          f"{larder['loadSeconds']:.1f} s, training window {larder['windowSeconds']:.2f} s.")
    print()
    print("| model | fit | NDCG@10 | precision@10 | recall@10 | MAP@10 | coverage | artifact |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for m in larder["models"]:
        print(f"| {m['model']} | {m['fitSeconds']:.2f} s | {m['ndcg']:.4f} | {m['precision']:.4f} | {m['recall']:.4f} | "
              f"{m['map']:.4f} | {m['coverage']:.3f} | {m['artifactBytes'] / 1e6:.1f} MB |")
    print()
    best_ours, best_theirs = min(out["larderFitSeconds"]), min(fits)
    print(f"ALS: {p['factors']} factors, regularization {p['regularization']}, alpha {p['alpha']}, "
          f"{p['iterations']} iterations, {p['cgSteps']} CG steps, {threads} threads; {len(users):,} users x "
          f"{len(items):,} items, {len(rows):,} booked pairs; {len(warm):,} evaluated users with history")
    print()
    print("| ALS | fit (best of runs) | NDCG@10 | precision@10 | recall@10 | MAP@10 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| Larder | {best_ours:.2f} s | {ours['ndcg']:.4f} | {ours['precision']:.4f} | {ours['recall']:.4f} | {ours['map']:.4f} |")
    print(f"| implicit {implicit.__version__} | {best_theirs:.2f} s | {theirs['ndcg']:.4f} | {theirs['precision']:.4f} | "
          f"{theirs['recall']:.4f} | {theirs['map']:.4f} |")
    print()
    ratio = ours["ndcg"] / theirs["ndcg"] if theirs["ndcg"] > 0 else float("nan")
    print(f"Larder/implicit: NDCG@10 {ratio:.3f} (target >= 0.95), fit time {best_ours / best_theirs:.2f}x (target <= 2)")
    if out["larderFitCPUSeconds"]:
        ours_cpu, theirs_cpu = min(out["larderFitCPUSeconds"]), min(cpu)
        print(f"CPU time of the fastest fits (every thread): Larder {ours_cpu:.2f} s, implicit {theirs_cpu:.2f} s "
              f"({ours_cpu / theirs_cpu:.2f}x)")


if __name__ == "__main__":
    main()
