"""Declared versus observed roles: who actually bridges communities.

The network: a person takes part in a community when, in the window, they
replied there, marked an item there helpful, shared an item from or into it,
recorded an adoption from or into it, or started a mentoring pair whose
request names it. Two communities are linked when someone takes part in
both; the people who take part in both hold that link.

A link's betweenness (networkx: the share of shortest routes between
communities that run along it) is split evenly among the people who hold
it: a person's score is the sum over the links they hold, divided by the
number of pairs of communities, so 1.0 would mean every route between
communities runs through that one person. A link held by one person alone
counts fully for them; one held by a hundred people barely counts.

- The organisation's ranking (staff) uses every community.
- A community's ranking (its stewards) counts only the routes from that
  community to the open ones, over a network of the open communities and
  itself, so no other private community shapes what its stewards see. Each
  route leaves by one of the community's own links: a person's score is the
  share of those routes whose first step they hold, so only people taking
  part in the community score there.

A *bridge* scores at least BRIDGE_SHARE of the ranking's top score; a
networker with no score at all *bridges nothing*.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

import networkx as nx

from communities.models import Community, Visibility
from knowledge.models import Adoption, HelpfulMark, Item, Reply
from mentoring.models import Pair

BRIDGE_SHARE = 0.1


def participation(since: datetime, until: datetime) -> dict[int, set[int]]:
    """{person id: ids of communities they took part in} over [since, until)."""
    window = {"created_at__gte": since, "created_at__lt": until}
    taking_part: dict[int, set[int]] = defaultdict(set)
    sources = [
        Reply.objects.filter(
            hidden_at__isnull=True, item__hidden_at__isnull=True, **window
        ).values_list("author_id", "item__community_id"),
        HelpfulMark.objects.filter(item__hidden_at__isnull=True, **window).values_list(
            "user_id", "item__community_id"
        ),
    ]
    shares = Item.objects.filter(
        shared_from__isnull=False, shared_by__isnull=False, **window
    )
    sources += [
        shares.values_list("shared_by_id", "community_id"),
        shares.values_list("shared_by_id", "shared_from__community_id"),
    ]
    adoptions = Adoption.objects.filter(recorded_by__isnull=False, **window)
    sources += [
        adoptions.values_list("recorded_by_id", "community_id"),
        adoptions.values_list("recorded_by_id", "item__community_id"),
    ]
    pairs = Pair.objects.filter(
        started_at__gte=since, started_at__lt=until, request__community__isnull=False
    )
    sources += [
        pairs.values_list("mentor_id", "request__community_id"),
        pairs.values_list("mentee_id", "request__community_id"),
    ]
    for qs in sources:
        for person, community in qs.distinct().order_by():
            taking_part[person].add(community)
    return taking_part


@dataclass
class Ranking:
    scores: dict[int, float]  # person -> score (> 0 only)
    communities: dict[int, list[int]]  # person -> communities of this network
    pairs: int  # pairs of communities the score is a share of
    seconds: float = 0.0

    @property
    def top(self) -> float:
        return max(self.scores.values(), default=0.0)


def _links(taking_part: dict[int, set[int]], keep: set[int] | None) -> dict:
    """{(a, b): [people]} for every two communities (a < b) someone holds."""
    links: dict[tuple[int, int], list[int]] = defaultdict(list)
    for person, communities in taking_part.items():
        mine = sorted(communities if keep is None else communities & keep)
        for a, b in combinations(mine, 2):
            links[(a, b)].append(person)
    return links


def _scores(links: dict, link_betweenness: dict) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    for (a, b), people in links.items():
        value = link_betweenness.get((a, b), link_betweenness.get((b, a), 0.0))
        if value:
            share = value / len(people)
            for person in people:
                scores[person] += share
    return scores


def organisation_ranking(taking_part: dict[int, set[int]]) -> Ranking:
    """Every community: routes between every two of them."""
    links = _links(taking_part, None)
    graph = nx.Graph()
    graph.add_nodes_from({c for cs in taking_part.values() for c in cs})
    graph.add_edges_from(links)
    n = graph.number_of_nodes()
    pairs = n * (n - 1) // 2
    betweenness = nx.edge_betweenness_centrality(graph, normalized=False)
    raw = _scores(links, betweenness)
    return Ranking(
        scores={p: s / pairs for p, s in raw.items() if s > 0},
        communities={p: sorted(taking_part[p]) for p in raw},
        pairs=pairs,
    )


def community_rankings(
    taking_part: dict[int, set[int]], community_ids: list[int], open_ids: set[int]
) -> dict[int, Ranking]:
    """For each community: the routes from it to the open communities, over
    the network of the open communities and itself. Every such route leaves
    by one of the community's own links, so a person's score is the share of
    the routes whose first step they hold: only people taking part in the
    community score."""
    open_links = _links(taking_part, open_ids)
    base = nx.Graph()
    base.add_nodes_from(open_ids)
    base.add_edges_from(open_links)
    rankings = {}
    for community_id in community_ids:
        keep = open_ids | {community_id}
        # The community's own links: to each open community, its holders.
        own: dict[tuple[int, int], list[int]] = defaultdict(list)
        for person, communities in taking_part.items():
            if community_id in communities:
                for other in communities & keep - {community_id}:
                    own[tuple(sorted((community_id, other)))].append(person)
        graph = base
        if community_id not in open_ids:
            graph = base.copy()
            graph.add_node(community_id)
            graph.add_edges_from(own)
        if not own:
            rankings[community_id] = Ranking({}, {}, 0)
            continue
        targets = nx.node_connected_component(graph, community_id) - {community_id}
        betweenness = nx.edge_betweenness_centrality_subset(
            graph, sources=[community_id], targets=targets, normalized=False
        )
        # An undirected graph's subset betweenness is halved for routes that
        # would be counted from both ends; here they start at one end only.
        raw = _scores(own, {k: 2 * v for k, v in betweenness.items()})
        rankings[community_id] = Ranking(
            scores={p: s / len(targets) for p, s in raw.items() if s > 0},
            communities={p: sorted(taking_part[p] & keep) for p in raw if raw[p] > 0},
            pairs=len(targets),
        )
    return rankings


def open_community_ids() -> set[int]:
    return set(
        Community.objects.filter(visibility=Visibility.OPEN).values_list(
            "pk", flat=True
        )
    )
