/// The recommender built on Larder: training sets from point-in-time joins, models behind one
/// interface, evaluation, a model registry in the database, and serving with bandit routing.
///
/// It uses only Larder's public API, the way a customer's service would. Start with
/// ``TrainingData/load(from:options:)``, fit a ``ModelSpec`` and evaluate it with
/// ``Evaluator`` (or ``Trainer/train(_:on:k:threads:)`` for all three); the article
/// "Training and evaluating recommenders" walks through it.
public enum LarderRecommender {}
