"""Run the graph without dask's scheduler.

``DaskGraphRunner.run`` prunes the graph schema and hands it to dask's scheduler three
times a turn (the NLU, then two predictions): about 0.3 ms each. The graph is pruned
once per set of targets and the same nodes are called, with the same inputs, in
dependency order.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

WRITTEN_FOR = {"rasa": "3.6.21"}


def apply() -> None:
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    def _order(self: DaskGraphRunner, targets: Tuple[Text, ...]) -> List[Tuple[Text, Any, List[Text]]]:
        """The nodes the targets need, each after the nodes it needs: (name, node, needs)."""
        orders = self.__dict__.setdefault("_jiuye_orders", {})
        if targets not in orders:
            schema = self._graph_schema.minimal_graph_schema(list(targets))
            order: List[Tuple[Text, Any, List[Text]]] = []
            placed: set = set()

            def place(name: Text) -> None:
                if name in placed or name not in schema.nodes:
                    return
                placed.add(name)
                needs = list(schema.nodes[name].needs.values())
                for need in needs:
                    place(need)
                order.append((name, self._instantiated_nodes[name], needs))

            for target in targets:
                place(target)
            orders[targets] = order
        return orders[targets]

    def run(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
            targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        values: Dict[Text, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of "
                    f"the input names passed to the `run` method are the same as node names "
                    f"in the graph schema."
                )
            values[name] = (name, value)  # what dask hands the nodes for an input
        try:
            for name, node, needs in _order(self, run_targets):
                if name not in values:  # an input of that name stands in for the node, as in dask
                    values[name] = node(*(values.get(need, need) for need in needs))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
        return dict(values[target] for target in run_targets)  # nodes return (name, output)

    DaskGraphRunner.run = run
