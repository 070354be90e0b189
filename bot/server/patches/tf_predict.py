"""Call DIET's traced graph directly.

DIET's prediction goes through ``tf.function``, which canonicalises and casts its
inputs against the signature on every call (half of the call). After the first call
the traced graph itself is called with the same tensors, once they are checked
against that signature; anything else takes TensorFlow's own path.
"""
from __future__ import annotations

from typing import Any, Dict, Text, Tuple

WRITTEN_FOR = {"rasa": "3.6.21", "tensorflow": "2.12"}


def apply() -> None:
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow.models import RasaModel

    original = RasaModel._rasa_predict

    def _rasa_predict(self: RasaModel, batch_in: Tuple[Any, ...]) -> Dict[Text, Any]:
        concrete = self.__dict__.get("_jiuye_concrete")
        if concrete is None:
            outputs = original(self, batch_in)  # traces the graph on the first call
            if not self._run_eagerly and self._tf_predict_step is not None:
                concrete = self.__dict__["_jiuye_concrete"] = self._tf_predict_step.get_concrete_function()
                self.__dict__["_jiuye_specs"] = tf.nest.flatten(concrete.structured_input_signature[0])
            return outputs
        tensors = [tf.convert_to_tensor(x) for x in tf.nest.flatten(batch_in)]
        specs = self.__dict__["_jiuye_specs"]
        if len(tensors) != len(specs) or not all(s.is_compatible_with(t) for s, t in zip(specs, tensors)):
            return original(self, batch_in)  # TF's own checks, casts and errors
        outputs = tf_utils.sync_to_numpy_or_python_type(concrete._call_flat(tensors, concrete.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    RasaModel._rasa_predict = _rasa_predict
