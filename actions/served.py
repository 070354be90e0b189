"""What the action server loads: the modules that hold actions, and nothing more.

``python -m rasa_sdk --actions actions.served`` registers every ``Action`` these
modules define, without importing the rest of the package: ``actions.nlu_components``
imports Rasa itself and with it TensorFlow, which the action server does not need
(started as ``rasa run actions --actions actions`` it used about 530 MB).
"""
from actions import actions, levy_form, screening_forms  # noqa: F401  (registers their actions)
