/// The recommender built on Larder: training sets from point-in-time joins, models behind one
/// interface, evaluation, a model registry in the database, and serving with bandit routing.
///
/// It uses only Larder's public API, the way a customer's service would.
public enum LarderRecommender {}
